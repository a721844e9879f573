import { DEVICE_V8_FLAGS, missingV8Flags } from '../../src-shared/sync/device-v8-flags';

/** The part of Electron's `app.commandLine` this uses (a plain object in tests). */
export interface CommandLineSwitches {
  hasSwitch(name: string): boolean;
  getSwitchValue(name: string): string;
  appendSwitch(name: string, value?: string): void;
}

/**
 * Gives the renderers the device's V8 flags (src-shared/sync/device-v8-flags.ts). Must run before
 * the app is ready: renderers read `--js-flags` when they start. A flag the user already passed
 * keeps the user's value; ours are added after the others.
 */
export function applyRendererV8Flags(commandLine: CommandLineSwitches, flags = DEVICE_V8_FLAGS): void {
  const given = commandLine.hasSwitch('js-flags') ? commandLine.getSwitchValue('js-flags') : '';
  const missing = missingV8Flags(given, flags);
  if (missing.length === 0) return;
  commandLine.appendSwitch('js-flags', [given, ...missing].filter(Boolean).join(' '));
}
