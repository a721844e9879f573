import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import electronViteConfig from '../../../electron.vite.config';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(`${root}${path}`, 'utf8');

interface BuilderConfig {
  appId: string;
  productName: string;
  files: string[];
  asar: boolean;
  directories: { output: string; buildResources: string };
  linux: { target: string[] };
  win: { target: string[] };
  mac: { target: string[] };
}

const config = parse(read('build/electron-builder.yml')) as BuilderConfig;
const pkg = JSON.parse(read('package.json')) as { main: string; scripts: Record<string, string> };

interface TargetBuild {
  build: {
    outDir: string;
    externalizeDeps?: boolean;
    rolldownOptions: { input: Record<string, string>; output?: { format?: string; entryFileNames?: string } };
  };
}
const vite = electronViteConfig as unknown as { main: TargetBuild; preload: TargetBuild; renderer: TargetBuild };
const rel = (abs: string) => abs.replace(root, '').replace(/\\/g, '/');

describe('electron-builder configuration (packaging itself needs the network, so it is checked here)', () => {
  it('packs only the built output and package.json: no sources, tests, server or node_modules', () => {
    const includes = config.files.filter((p) => !p.startsWith('!'));
    expect(includes).toEqual(['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json']);
    expect(config.files).toContain('!node_modules/**');
    expect(config.files).toContain('!**/*.map');
    for (const forbidden of ['src-', 'tests', 'sync-server', 'scripts', 'out/web', '**/*']) {
      expect(
        includes.some((p) => p.startsWith(forbidden)),
        forbidden,
      ).toBe(false);
    }
    expect(config.asar).toBe(true);
  });

  it('builds AppImage and deb for Linux, nsis for Windows and dmg for macOS', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/);
    expect(pkg.scripts.package).toContain('--config build/electron-builder.yml');
  });

  it("starts at the main bundle electron-vite writes, which package.json's main names", () => {
    expect(rel(vite.main.build.outDir)).toBe('out/main');
    expect(Object.keys(vite.main.build.rolldownOptions.input)).toEqual(['index']);
    expect(rel(vite.main.build.rolldownOptions.input.index ?? '')).toBe('src-main/index.ts');
    expect(pkg.main).toBe('out/main/index.js');
  });

  it('loads a CommonJS preload and the renderer from where main looks for them', () => {
    expect(rel(vite.preload.build.outDir)).toBe('out/preload');
    expect(vite.preload.build.rolldownOptions.output).toMatchObject({ format: 'cjs', entryFileNames: '[name].cjs' });
    expect(rel(vite.renderer.build.outDir)).toBe('out/renderer');
    const main = read('src-main/index.ts');
    expect(main).toContain("'../preload/index.cjs'");
    expect(main).toContain("'../renderer'");
  });

  it('bundles main and preload dependencies, since no node_modules ship', () => {
    expect(vite.main.build.externalizeDeps).toBe(false);
    expect(vite.preload.build.externalizeDeps).toBe(false);
  });
});
