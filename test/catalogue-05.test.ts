import { catalogueTests } from './helpers/catalogue.ts';
import { catalogue } from './fixtures/05-multiplexing/catalogue.ts';

catalogueTests('05-multiplexing', catalogue);
