import { catalogueTests } from './helpers/catalogue.ts';
import { catalogue } from './fixtures/03-framing/catalogue.ts';

catalogueTests('03-framing', catalogue);
