// Lays out a hook example: the live component on the left, its source code on the right. The
// source is the example file itself (imported with `?raw`), with the repository's relative
// imports shown as the package entry points an app imports.
/// <reference types="vite/client" />
import type {ReactNode} from 'react';
import '../support/panes.css';

const PUBLIC_ENTRY_POINTS: [RegExp, string][] = [
  [/'(\.\.\/)+src\/index\.js'/g, "'syncstore'"],
  [/'(\.\.\/)+src\/react\/index\.js'/g, "'syncstore/react'"],
  [/'(\.\.\/)+src\/synchronizers\/([\w-]+)\.js'/g, "'syncstore/synchronizers/$2'"],
];

export const asAppCode = (source: string): string =>
  PUBLIC_ENTRY_POINTS.reduce(
    (code, [relativeImport, entryPoint]) => code.replace(relativeImport, entryPoint),
    source,
  ).trim();

export function HookExample({
  hook,
  summary,
  source,
  children,
}: {
  hook: string;
  summary: string;
  source: string;
  children: ReactNode;
}) {
  return (
    <div className="explain">
      <h2 style={{fontFamily: 'ui-monospace, monospace'}}>{hook}</h2>
      <p>{summary}</p>
      <div style={{display: 'flex', gap: 16, alignItems: 'flex-start'}}>
        <section aria-label="Example" className="pane" style={{flex: '0 0 280px'}}>
          {children}
        </section>
        <figure aria-label="Code" style={{flex: 1, margin: 0}}>
          <pre className="code" style={{margin: 0}}>
            {asAppCode(source)}
          </pre>
        </figure>
      </div>
    </div>
  );
}
