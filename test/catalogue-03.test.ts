// Made by npm run course:sync from lessons/course.ts: grades lesson 3's catalogue.
import { catalogueTests } from './helpers/catalogue.ts';
import { catalogue } from './fixtures/03-framing/catalogue.ts';

catalogueTests('03-framing', catalogue);
