import { line, scaleLinear } from 'd3';
import type { LensRow } from '../../../analysis/study/kernel';

const WIDTH = 420;
const HEIGHT = 200;
const MARGIN = { top: 10, right: 12, bottom: 34, left: 44 };
const CONCEPT_COLOURS = ['#4e79d8', '#d98b2b'];

/**
 * The study's recognisability curve: NDCG of the classifier's ranking against each concept's
 * relevant labels, per DecoderLens depth (1..L), one line per concept.
 */
export function RecognisabilityPlot({ rows, names }: { rows: readonly LensRow[]; names: (id: string) => string }) {
  const concepts = [...new Set(rows.map((row) => row.concept))];
  const numLayers = Math.max(1, ...rows.map((row) => row.depth));
  const x = scaleLinear([1, Math.max(2, numLayers)], [MARGIN.left, WIDTH - MARGIN.right]);
  const y = scaleLinear([0, 1], [HEIGHT - MARGIN.bottom, MARGIN.top]);
  const path = line<LensRow>()
    .x((row) => x(row.depth))
    .y((row) => y(row.ndcg));
  return (
    <figure className="recognisability" data-testid="recognisability">
      <svg className="line-plot" width={WIDTH} height={HEIGHT} role="img" aria-label="Recognisability (NDCG) per DecoderLens depth, one line per concept">
        {y.ticks(5).map((tick) => (
          <g key={tick} transform={`translate(${MARGIN.left}, ${y(tick)})`}>
            <line className="axis-line" x1={-4} x2={0} />
            <text className="axis-text" x={-6} dominantBaseline="central" textAnchor="end">
              {tick}
            </text>
          </g>
        ))}
        {x.ticks(Math.min(numLayers, 12)).filter(Number.isInteger).map((depth) => (
          <text key={depth} className="axis-text" x={x(depth)} y={HEIGHT - MARGIN.bottom + 14} textAnchor="middle">
            {depth}
          </text>
        ))}
        <text className="axis-text" x={(MARGIN.left + WIDTH - MARGIN.right) / 2} y={HEIGHT - 4} textAnchor="middle">
          depth (decoder layers used)
        </text>
        <text className="axis-text" transform={`translate(12, ${(HEIGHT - MARGIN.bottom) / 2}) rotate(-90)`} textAnchor="middle">
          NDCG
        </text>
        {concepts.map((concept, i) => {
          const conceptRows = rows.filter((row) => row.concept === concept).sort((a, b) => a.depth - b.depth);
          return (
            <g key={concept}>
              <path d={path(conceptRows) ?? undefined} fill="none" stroke={CONCEPT_COLOURS[i % CONCEPT_COLOURS.length]} strokeWidth={2}>
                <title>{names(concept)}</title>
              </path>
              {conceptRows.map((row) => (
                <circle key={row.depth} cx={x(row.depth)} cy={y(row.ndcg)} r={3} fill={CONCEPT_COLOURS[i % CONCEPT_COLOURS.length]}>
                  <title>{`${names(concept)}, depth ${row.depth}: NDCG ${row.ndcg.toFixed(3)} (n ${row.n}, std ${row.ndcgStd.toFixed(3)})`}</title>
                </circle>
              ))}
            </g>
          );
        })}
      </svg>
      <figcaption className="line-legend">
        {concepts.map((concept, i) => (
          <span key={concept}>
            <svg width={22} height={10} aria-hidden="true">
              <line x1={0} x2={22} y1={5} y2={5} stroke={CONCEPT_COLOURS[i % CONCEPT_COLOURS.length]} strokeWidth={3} />
            </svg>
            {names(concept)}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
