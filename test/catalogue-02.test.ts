import { catalogueTests } from './helpers/catalogue.ts';
import { catalogue } from './fixtures/02-echo-client/catalogue.ts';

catalogueTests('02-echo-client', catalogue);
