// Made by npm run course:sync from lessons/course.ts: grades lesson 7's catalogue.
import { catalogueTests } from './helpers/catalogue.ts';
import { catalogue } from './fixtures/07-many-connections/catalogue.ts';

catalogueTests('07-many-connections', catalogue);
