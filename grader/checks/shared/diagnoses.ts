// Mistakes about where a server listens, recognised the same way in every lesson with a server.
import { defineDiagnoses } from '../check.ts';

export const listeningDiagnoses = defineDiagnoses({
  'listens-on-every-address':
    'Pass HOST to listen(PORT, HOST). Without a host, Node binds every interface, which exposes a course exercise to the whole network.',
  'binds-every-address':
    'Pass HOST to bind(PORT, HOST). Without a host, Node binds every interface, which exposes a course exercise to the whole network.',
  'listens-without-arguments':
    'That is what listen() (or bind()) with no port and no host does. Pass both, read from the environment: server.listen(PORT, HOST).',
  'listen-arguments-swapped':
    'server.listen(HOST, PORT) has its arguments swapped: given a string first, Node listens on a Unix socket file of that name in the current folder. The port comes first: server.listen(PORT, HOST).',
  'hard-coded-port': 'Read the port from the environment: const PORT = Number(process.env.PORT ?? 65432). The grader picks a free port for every run.',
  'hard-coded-host':
    'Read the host from the environment: const HOST = process.env.HOST ?? "127.0.0.1", and pass it to listen/bind. "localhost" may not be the address the grader gives.',
});
