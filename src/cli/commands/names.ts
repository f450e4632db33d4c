import type { Command } from 'commander';
import type { LocalizedText } from '../../shared/locales.js';
import { UsageError } from '../output.js';

export interface NameOptions {
  name?: string;
  nameNl?: string;
  nameFr?: string;
  nameDe?: string;
  nameEn?: string;
}

/** Adds --name (all four languages) and --name-nl/-fr/-de/-en (one language each). */
export function nameOptions(command: Command): Command {
  return command
    .option('--name <name>', 'the name in all four languages (override one with --name-xx)')
    .option('--name-nl <name>', 'the name in Dutch')
    .option('--name-fr <name>', 'the name in French')
    .option('--name-de <name>', 'the name in German')
    .option('--name-en <name>', 'the name in English');
}

/** The four names from the options; a UsageError lists the languages without one. */
export function localizedNames(options: NameOptions): LocalizedText {
  const names = {
    nl: options.nameNl ?? options.name,
    fr: options.nameFr ?? options.name,
    de: options.nameDe ?? options.name,
    en: options.nameEn ?? options.name,
  };
  const missing = Object.entries(names).filter(([, value]) => value === undefined);
  if (missing.length > 0) {
    throw new UsageError(
      `a name is needed in ${missing.map(([locale]) => locale).join(', ')}: give --name or --name-xx`,
    );
  }
  return names as LocalizedText;
}
