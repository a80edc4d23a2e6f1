// Every subcommand, one line each. A command file exports `register(program, io)`.
import type { Command } from 'commander';
import type { RunIO } from '../cli.js';
import { register as report } from './report.js';
import { register as timeline } from './timeline.js';

export type RegisterCommand = (program: Command, io: RunIO) => void;

export const commands: RegisterCommand[] = [
  report,
  timeline,
];
