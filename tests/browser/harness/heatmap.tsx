/** Heatmaps whose values span tiny and ordinary ranges, drawn by the lab's own component (tests/browser/heatmap.test.ts). */
import { createRoot } from 'react-dom/client';
import { Heatmap } from '../../../src/ui/components/charts/Heatmap';
import type { ScaleKind } from '../../../src/ui/components/charts/scales';
import '../../../src/ui/styles';

const ROWS = 6;
const COLUMNS = 40;

/** A smooth pattern spanning [min, max]. */
function values(min: number, max: number): Float32Array {
  return Float32Array.from({ length: ROWS * COLUMNS }, (_, i) => min + ((max - min) * i) / (ROWS * COLUMNS - 1));
}

const CHARTS: { id: string; title: string; scale: ScaleKind; min: number; max: number }[] = [
  { id: 'near-one', title: 'Top-1 probability, 0.9999998 to 1.0000001', scale: 'sequential', min: 0.9999998, max: 1.0000001 },
  { id: 'tiny-diverging', title: 'Effect, ±1e-7', scale: 'diverging', min: -1e-7, max: 1e-7 },
  { id: 'large-offset', title: 'Distance, 1000.0001 to 1000.0003', scale: 'sequential', min: 1000.0001, max: 1000.0003 },
  { id: 'ordinary', title: 'Entropy, 0 to 6.3 nats', scale: 'sequential', min: 0, max: 6.3 },
];

function Harness() {
  return (
    <main style={{ width: 640, padding: 16 }}>
      {CHARTS.map(({ id, title, scale, min, max }) => (
        <section key={id} style={{ marginBottom: 24 }}>
          <h2 style={{ fontSize: 14 }}>{title}</h2>
          <Heatmap
            testId={`heatmap-${id}`}
            values={values(min, max)}
            rows={ROWS}
            columns={COLUMNS}
            rowLabels={Array.from({ length: ROWS }, (_, row) => `layer ${row + 1}`)}
            columnLabel={(column) => `${column}`}
            label={title}
            scale={scale}
            domain={scale === 'diverging' ? undefined : [min, max]}
            legendLabel="value"
            formatValue={(value) => value.toPrecision(8)}
          />
        </section>
      ))}
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<Harness />);
(window as unknown as { harnessReady: boolean }).harnessReady = true;
