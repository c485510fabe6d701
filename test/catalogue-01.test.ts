// Made by npm run course:sync from lessons/course.ts: grades lesson 1's catalogue.
import { catalogueTests } from './helpers/catalogue.ts';
import { catalogue } from './fixtures/01-echo-server/catalogue.ts';

catalogueTests('01-echo-server', catalogue);
