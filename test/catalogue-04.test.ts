import { catalogueTests } from './helpers/catalogue.ts';
import { catalogue } from './fixtures/04-udp/catalogue.ts';

catalogueTests('04-udp', catalogue);
