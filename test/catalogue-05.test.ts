// Made by npm run course:sync from lessons/course.ts: grades lesson 5's catalogue.
import { catalogueTests } from './helpers/catalogue.ts';
import { catalogue } from './fixtures/05-multiplexing/catalogue.ts';

catalogueTests('05-multiplexing', catalogue);
