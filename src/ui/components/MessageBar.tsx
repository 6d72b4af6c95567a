import { useLab } from '../state/useLab';

/**
 * Errors and notices of the last action, in the page (never an uncaught exception). The notice
 * floats over the page's corner, so it never pushes the views down when it comes or goes.
 */
export function MessageBar() {
  const message = useLab((state) => state.message);
  const model = useLab((state) => state.model);
  const dismiss = useLab((state) => state.dismissMessage);
  return (
    <>
      {model.status === 'error' && (
        <div className="message message-error" role="alert" data-testid="model-error">
          Could not load the model from {model.bundleUrl}: {model.error}
        </div>
      )}
      {message && (
        <div className={`message message-${message.kind} message-toast`} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="message">
          <span>{message.text}</span>
          <button type="button" className="link-button" onClick={dismiss} aria-label="Dismiss message">
            ×
          </button>
        </div>
      )}
    </>
  );
}
