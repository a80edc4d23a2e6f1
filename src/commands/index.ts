// Every subcommand, one line each. A command file exports `register(program, io)`.
import type { Command } from 'commander';
import type { RunIO } from '../cli.js';
import { register as report } from './report.js';
import { register as timeline } from './timeline.js';
import { register as collect } from './collect.js';
import { register as list } from './list.js';
import { register as dmesg } from './dmesg.js';
import { register as mce } from './mce.js';
import { register as completion } from './completion.js';
import { register as listen } from './listen.js';
import { register as watch } from './watch.js';
import { register as symbolize } from './symbolize.js';

export type RegisterCommand = (program: Command, io: RunIO) => void;

export const commands: RegisterCommand[] = [
  report,
  timeline,
  collect,
  list,
  dmesg,
  mce,
  listen,
  watch,
  symbolize,
  completion,
];
