// The Inspector's look: inline styles only, so it needs no stylesheet and cannot restyle the app.
import type {CSSProperties} from 'react';

/** Where the Inspector is docked, as in TinyBase's InspectorProps. */
export type InspectorPosition = 'top' | 'right' | 'bottom' | 'left' | 'full';

const DOCKED: {[Position in InspectorPosition]: CSSProperties} = {
  top: {top: 0, left: 0, right: 0, height: '40vh'},
  right: {top: 0, right: 0, bottom: 0, width: '40vw'},
  bottom: {bottom: 0, left: 0, right: 0, height: '40vh'},
  left: {top: 0, left: 0, bottom: 0, width: '40vw'},
  full: {top: 0, left: 0, right: 0, bottom: 0},
};

export function panelStyle(position: InspectorPosition, hue: number): CSSProperties {
  return {
    position: 'fixed',
    zIndex: 2147483647,
    boxSizing: 'border-box',
    overflow: 'auto',
    padding: '0.5rem',
    font: '12px/1.4 ui-monospace, monospace',
    color: `hsl(${hue} 20% 90%)`,
    background: `hsl(${hue} 30% 14% / 0.97)`,
    ...DOCKED[position],
  };
}

export function nubStyle(hue: number): CSSProperties {
  return {
    position: 'fixed',
    zIndex: 2147483647,
    right: '0.5rem',
    bottom: '0.5rem',
    padding: '0.25rem 0.5rem',
    font: '12px ui-monospace, monospace',
    color: 'white',
    background: `hsl(${hue} 50% 40%)`,
    border: 'none',
    borderRadius: '0.25rem',
    cursor: 'pointer',
  };
}

export const tableStyle: CSSProperties = {borderCollapse: 'collapse', marginBottom: '0.5rem'};
export const cellStyle: CSSProperties = {
  padding: '0 0.5rem',
  textAlign: 'left',
  verticalAlign: 'top',
};
export const captionStyle: CSSProperties = {textAlign: 'left', fontWeight: 'bold'};
