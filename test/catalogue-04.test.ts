// Made by npm run course:sync from lessons/course.ts: grades lesson 4's catalogue.
import { catalogueTests } from './helpers/catalogue.ts';
import { catalogue } from './fixtures/04-udp/catalogue.ts';

catalogueTests('04-udp', catalogue);
