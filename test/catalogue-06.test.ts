// Made by npm run course:sync from lessons/course.ts: grades lesson 6's catalogue.
import { catalogueTests } from './helpers/catalogue.ts';
import { catalogue } from './fixtures/06-looking-at-sockets/catalogue.ts';

catalogueTests('06-looking-at-sockets', catalogue);
