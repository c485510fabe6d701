// Mistakes about where a server listens, recognised the same way in every lesson with a server.
import { defineDiagnoses } from '../check.ts';

export const listeningDiagnoses = defineDiagnoses({
  'listens-on-every-address':
    'Pass HOST to listen(PORT, HOST). Without a host, Node binds every interface, which exposes a course exercise to the whole network.',
  'binds-every-address':
    'Pass HOST to bind(PORT, HOST). Without a host, Node binds every interface, which exposes a course exercise to the whole network.',
  'hard-coded-port': 'Read the port from the environment: const PORT = Number(process.env.PORT ?? 65432). The grader picks a free port for every run.',
  'hard-coded-host':
    'Read the host from the environment: const HOST = process.env.HOST ?? "127.0.0.1", and pass it to listen/bind. "localhost" may not be the address the grader gives.',
});
