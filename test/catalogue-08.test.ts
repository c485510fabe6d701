// Made by npm run course:sync from lessons/course.ts: grades lesson 8's catalogue.
import { catalogueTests } from './helpers/catalogue.ts';
import { catalogue } from './fixtures/08-application-protocol/catalogue.ts';

catalogueTests('08-application-protocol', catalogue);
