// Made by npm run course:sync from lessons/course.ts: grades lesson 2's catalogue.
import { catalogueTests } from './helpers/catalogue.ts';
import { catalogue } from './fixtures/02-echo-client/catalogue.ts';

catalogueTests('02-echo-client', catalogue);
