/** The Interventions view until the interventions feature lands: what it will do, and how to get there today. */
export function InterventionsEmpty() {
  return (
    <section className="panel view-panel" aria-labelledby="interventions-title">
      <h2 id="interventions-title">Interventions</h2>
      <div className="empty-state" data-testid="interventions-empty">
        <p className="empty-title">Not in the page yet</p>
        <p>
          Patch self-attention, cross-attention and MLP outputs with another concept's mean activations (replace or adjust), and sweep every layer and
          component, as in the study. Until this view lands, the command line does it: <code>npm run lab -- capture --mean</code> then{' '}
          <code>npm run lab -- generate --patch patch.json</code>.
        </p>
      </div>
    </section>
  );
}
