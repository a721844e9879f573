import { describe, expect, it } from 'vitest';
import { applyRendererV8Flags, type CommandLineSwitches } from '../../../../src-main/windows/renderer-v8-flags';
import { DEVICE_V8_FLAGS, missingV8Flags } from '../../../../src-shared/sync/device-v8-flags';

/** Electron's command line as Chromium keeps it: the last value given for a switch is the one read. */
function commandLine(initial: Record<string, string> = {}) {
  const switches = new Map(Object.entries(initial));
  const appended: [string, string | undefined][] = [];
  const line: CommandLineSwitches = {
    hasSwitch: (name) => switches.has(name),
    getSwitchValue: (name) => switches.get(name) ?? '',
    appendSwitch: (name, value) => {
      appended.push([name, value]);
      switches.set(name, value ?? '');
    },
  };
  return { line, switches, appended };
}

describe("the renderer's V8 flags", () => {
  it('gives the renderers the device flags when nothing else is asked for', () => {
    const { line, switches } = commandLine();
    applyRendererV8Flags(line);
    expect(switches.get('js-flags')).toBe(DEVICE_V8_FLAGS.join(' '));
    expect(DEVICE_V8_FLAGS).toContain('--max-semi-space-size=64');
  });

  it("keeps flags the user passed, and the user's value of one of ours", () => {
    const other = commandLine({ 'js-flags': '--expose-gc' });
    applyRendererV8Flags(other.line);
    expect(other.switches.get('js-flags')).toBe('--expose-gc --max-semi-space-size=64');

    const own = commandLine({ 'js-flags': '--max-semi-space-size=8' });
    applyRendererV8Flags(own.line);
    expect(own.switches.get('js-flags')).toBe('--max-semi-space-size=8');
    expect(own.appended).toEqual([]);
  });

  it('adds nothing twice when it runs again', () => {
    const { line, switches } = commandLine();
    applyRendererV8Flags(line);
    applyRendererV8Flags(line);
    expect(switches.get('js-flags')).toBe('--max-semi-space-size=64');
  });

  it('tells which flags a --js-flags value lacks, by name', () => {
    expect(missingV8Flags('', ['--a=1', '--b'])).toEqual(['--a=1', '--b']);
    expect(missingV8Flags('  --a=2   --c ', ['--a=1', '--b'])).toEqual(['--b']);
  });
});
