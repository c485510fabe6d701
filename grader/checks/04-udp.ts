import type { LessonChecks } from './check.ts';
import { udpClientChecks } from './04-udp/client.ts';
import { udpServerChecks } from './04-udp/server.ts';

// Lesson 4, UDP: the echo server's checks, then the retransmitting client's.
export const udpChecks: LessonChecks = () => [...udpServerChecks(), ...udpClientChecks()];
