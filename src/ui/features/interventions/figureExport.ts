/**
 * A figure (the <svg> elements inside a container: plot and legend) as one standalone SVG file or
 * a PNG (effectful: DOM, canvas). Colours the page sets through CSS are written into the copy, so
 * the file looks like the screen, on the page's background.
 */
import { saveFile } from './download';

const INLINED = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'font-size', 'font-family', 'font-weight', 'opacity', 'text-anchor', 'dominant-baseline'];
const SVG_NS = 'http://www.w3.org/2000/svg';

function inlineStyles(original: SVGSVGElement, copy: SVGSVGElement): void {
  const originals = [original, ...original.querySelectorAll('*')];
  const copies = [copy, ...copy.querySelectorAll('*')];
  originals.forEach((element, i) => {
    const style = getComputedStyle(element);
    const target = copies[i] as SVGElement;
    for (const property of INLINED) {
      const value = style.getPropertyValue(property);
      if (value) target.style.setProperty(property, value);
    }
  });
}

/** Every <svg> of `container` at its on-screen place, in one SVG document. */
export function standaloneSvg(container: HTMLElement, title: string): { text: string; width: number; height: number } {
  const box = container.getBoundingClientRect();
  const titleHeight = 20;
  const root = document.createElementNS(SVG_NS, 'svg');
  const width = Math.ceil(box.width);
  const height = Math.ceil(box.height) + titleHeight;
  root.setAttribute('xmlns', SVG_NS);
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', getComputedStyle(document.body).backgroundColor || '#ffffff');
  root.append(background);
  const heading = document.createElementNS(SVG_NS, 'text');
  heading.setAttribute('x', '4');
  heading.setAttribute('y', '14');
  heading.setAttribute('font-family', 'system-ui, sans-serif');
  heading.setAttribute('font-size', '13');
  heading.setAttribute('fill', getComputedStyle(container).color || '#000000');
  heading.textContent = title;
  root.append(heading);
  for (const svg of container.querySelectorAll('svg')) {
    const rect = svg.getBoundingClientRect();
    const copy = svg.cloneNode(true) as SVGSVGElement;
    inlineStyles(svg, copy);
    copy.setAttribute('x', String(rect.left - box.left));
    copy.setAttribute('y', String(rect.top - box.top + titleHeight));
    root.append(copy);
  }
  return { text: new XMLSerializer().serializeToString(root), width, height };
}

export function saveSvg(container: HTMLElement, title: string, fileStem: string): void {
  saveFile(standaloneSvg(container, title).text, `${fileStem}.svg`, 'image/svg+xml');
}

/** Renders the figure at 2× onto a canvas and saves it as PNG. */
export async function savePng(container: HTMLElement, title: string, fileStem: string): Promise<void> {
  const { text, width, height } = standaloneSvg(container, title);
  const image = new Image();
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    image.src = url;
    await image.decode();
    const scale = 2;
    const canvas = document.createElement('canvas');
    canvas.width = width * scale;
    canvas.height = height * scale;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('this browser cannot draw on a canvas');
    context.scale(scale, scale);
    context.drawImage(image, 0, 0, width, height);
    const blob = await new Promise<Blob>((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'));
    saveFile(blob, `${fileStem}.png`, 'image/png');
  } finally {
    URL.revokeObjectURL(url);
  }
}
