import { builtinModules } from 'node:module';
import { dirname, posix, relative, resolve } from 'node:path';
import { parseSync } from 'vite';

/**
 * The layer rules of HOUSE-STYLE.md ("Layout"), checked on parsed imports rather than by a lint
 * plugin (typescript-eslint does not run on TypeScript 7, DESIGN.md §2). Pure: give it a path and
 * its source, get the violations, so the rules themselves are tested on synthetic files too.
 */

export interface ImportRef {
  readonly specifier: string;
  /** Erased at compile time: `import type`, `export type … from`, `import('x').T` in a type. */
  readonly typeOnly: boolean;
  readonly line: number;
}

export interface Violation {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  readonly rule: string;
}

function isNode(value: unknown): value is Record<string, unknown> & { type: string } {
  return typeof value === 'object' && value !== null && typeof Reflect.get(value, 'type') === 'string';
}

function literalValue(node: unknown): string | null {
  if (!isNode(node) || node.type !== 'Literal') return null;
  return typeof node.value === 'string' ? node.value : null;
}

function lineAt(source: string, offset: unknown): number {
  return typeof offset === 'number' ? source.slice(0, offset).split('\n').length : 0;
}

/** Every module a file imports: static, re-exported, dynamic, `require`, and type-position imports. */
export function importsOf(file: string, source: string): ImportRef[] {
  const lang = file.endsWith('.tsx') ? 'tsx' : /\.[mc]?js$/.test(file) ? 'js' : 'ts';
  const parsed = parseSync(file, source, { lang });
  if (parsed.errors.length > 0) {
    throw new Error(`${file} does not parse: ${parsed.errors.map((error) => error.message).join('; ')}`);
  }
  const refs: ImportRef[] = [];
  const add = (specifier: string | null, typeOnly: boolean, node: Record<string, unknown>) => {
    if (specifier !== null) refs.push({ specifier, typeOnly, line: lineAt(source, node.start) });
  };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (!isNode(node)) return;
    switch (node.type) {
      case 'ImportDeclaration':
        add(literalValue(node.source), node.importKind === 'type', node);
        break;
      case 'ExportNamedDeclaration':
      case 'ExportAllDeclaration':
        add(literalValue(node.source), node.exportKind === 'type', node);
        break;
      case 'ImportExpression':
        add(literalValue(node.source), false, node);
        break;
      case 'TSImportType':
        add(literalValue(node.source), true, node);
        break;
      case 'TSExternalModuleReference':
        add(literalValue(node.expression), false, node);
        break;
      case 'CallExpression':
        if (isNode(node.callee) && node.callee.type === 'Identifier' && node.callee.name === 'require') {
          add(literalValue(Reflect.get(Object(node.arguments), 0)), false, node);
        }
        break;
    }
    for (const [key, child] of Object.entries(node)) {
      if (key !== 'type' && typeof child === 'object') visit(child);
    }
  };
  visit(parsed.program);
  return refs;
}

const NODE_BUILTINS = new Set(builtinModules);

function isNodeBuiltin(specifier: string): boolean {
  return specifier.startsWith('node:') || NODE_BUILTINS.has(specifier.split('/')[0] ?? '');
}

function isPackage(specifier: string, name: string): boolean {
  return specifier === name || specifier.startsWith(`${name}/`);
}

/** The repo-relative posix path a relative specifier points to, or null for a bare specifier. */
function target(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return relative('/repo', resolve('/repo', dirname(file), specifier))
    .split('\\')
    .join('/');
}

function inside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(`${folder}/`);
}

type Rule = (file: string, ref: ImportRef) => string | null;

const sharedRule: Rule = (file, ref) => {
  const to = target(file, ref.specifier);
  if (to !== null) {
    if (!inside(to, 'src-shared')) return 'src-shared imports only src-shared';
    if (inside(file, 'src-shared/ipc') && !inside(to, 'src-shared/ipc')) {
      return 'src-shared/ipc is bundled into the sandboxed preload and imports only itself';
    }
    return null;
  }
  if (inside(file, 'src-shared/ipc'))
    return 'src-shared/ipc is bundled into the sandboxed preload and imports only itself';
  if (isPackage(ref.specifier, 'zod') || isPackage(ref.specifier, '@faker-js/faker')) return null;
  if (isPackage(ref.specifier, 'rxdb')) return ref.typeOnly ? null : "src-shared may import 'rxdb' for types only";
  return 'src-shared imports no packages but zod, @faker-js/faker and rxdb types (no electron, DOM or node)';
};

const FEATURE = /^src-renderer\/features\/([^/]+)(?:\/(.*))?$/;

const rendererRule: Rule = (file, ref) => {
  if (isPackage(ref.specifier, 'electron')) return 'src-renderer never imports electron (use window.crm)';
  if (isNodeBuiltin(ref.specifier)) return 'src-renderer never imports node built-ins';
  const to = target(file, ref.specifier);
  if (to === null) return null;
  if (inside(to, 'src-main') || inside(to, 'sync-server')) return 'src-renderer imports only itself and src-shared';
  const from = FEATURE.exec(file);
  const into = FEATURE.exec(to);
  if (into && from?.[1] !== into[1] && into[2] !== undefined && !/^index(\.tsx?)?$/.test(into[2])) {
    return `a feature imports another feature only through its index.ts (features/${into[1]})`;
  }
  return null;
};

const preloadRule: Rule = (file, ref) => {
  if (ref.specifier === 'electron') return null;
  const to = target(file, ref.specifier);
  if (to !== null && (inside(to, 'src-shared/ipc') || inside(to, 'src-main/preload'))) return null;
  return "the preload imports only 'electron' and src-shared/ipc";
};

const mainRule: Rule = (file, ref) => {
  const to = target(file, ref.specifier);
  if (to !== null && (inside(to, 'src-renderer') || inside(to, 'sync-server'))) {
    return 'src-main imports only itself and src-shared';
  }
  return null;
};

const serverRule: Rule = (file, ref) => {
  if (isPackage(ref.specifier, 'electron')) return 'sync-server never imports electron';
  const to = target(file, ref.specifier);
  if (to !== null && (inside(to, 'src-renderer') || inside(to, 'src-main'))) {
    return 'sync-server imports only itself and src-shared';
  }
  return null;
};

function ruleFor(file: string): Rule | null {
  if (inside(file, 'src-shared')) return sharedRule;
  if (inside(file, 'src-renderer')) return rendererRule;
  if (inside(file, 'src-main/preload')) return preloadRule;
  if (inside(file, 'src-main')) return mainRule;
  if (inside(file, 'sync-server')) return serverRule;
  return null;
}

/** The violations in one file; `file` is repo-relative with forward slashes. */
export function checkFile(file: string, source: string): Violation[] {
  const rule = ruleFor(posix.normalize(file));
  if (!rule) return [];
  return importsOf(file, source).flatMap((ref) => {
    const broken = rule(file, ref);
    return broken === null ? [] : [{ file, line: ref.line, specifier: ref.specifier, rule: broken }];
  });
}
