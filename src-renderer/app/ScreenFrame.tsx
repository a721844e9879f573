import { Component, type ReactNode, Suspense } from 'react';
import { LoadingStatus } from '../ui/LoadingStatus';
import './screen-frame.css';

/**
 * Where a screen renders: while its chunk is fetched, a polite status line; if the fetch fails, an
 * alert with a way out.
 */
export function ScreenFrame({ label, children }: { label: string; children: ReactNode }) {
  return (
    <ScreenLoadError label={label}>
      <Suspense fallback={<LoadingStatus what={label} />}>{children}</Suspense>
    </ScreenLoadError>
  );
}

interface BoundaryProps {
  label: string;
  children: ReactNode;
}

/**
 * React.lazy keeps a rejected load for good, so "Try again" reloads the page rather than re-rendering.
 * A failed chunk fetch mostly means the app was rebuilt under an open tab; a reload gets the new files.
 */
class ScreenLoadError extends Component<BoundaryProps, { error?: Error }> {
  override state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidUpdate(previous: BoundaryProps) {
    // Another screen chosen from the sidebar gets its own chance.
    if (previous.label !== this.props.label && this.state.error) this.setState({ error: undefined });
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="screen-load-error" role="alert">
        <p>
          {this.props.label} could not be shown: {error.message}
        </p>
        <button type="button" onClick={() => location.reload()}>
          Try again
        </button>
      </div>
    );
  }
}
