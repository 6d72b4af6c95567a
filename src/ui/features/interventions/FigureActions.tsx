import type { RefObject } from 'react';
import { savePng, saveSvg } from './figureExport';

/** "SVG" and "PNG" buttons that save the figure drawn inside `container`. */
export function FigureActions({ container, fileStem, title }: { container: RefObject<HTMLElement | null>; fileStem: string; title: string }) {
  return (
    <span className="figure-actions">
      <button type="button" className="link-button" onClick={() => container.current && saveSvg(container.current, title, fileStem)} aria-label={`Save “${title}” as SVG`}>
        SVG
      </button>
      <button type="button" className="link-button" onClick={() => container.current && void savePng(container.current, title, fileStem)} aria-label={`Save “${title}” as PNG`}>
        PNG
      </button>
    </span>
  );
}
