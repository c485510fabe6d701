import { catalogueTests } from './helpers/catalogue.ts';
import { catalogue } from './fixtures/01-echo-server/catalogue.ts';

catalogueTests('01-echo-server', catalogue);
