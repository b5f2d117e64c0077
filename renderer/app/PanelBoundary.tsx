import { Component, useContext, type ErrorInfo, type ReactNode } from 'react';
import type { CordonApi } from '../api/cordon-api';
import { ApiContext } from '../state/use-api';
import { faultWords, reportFault } from './report-fault';
import './panel-fault.css';

interface PanelBoundaryProps {
  /** The panel in the operator's words, lower case: "the call form", "the map". */
  part: string;
  children: ReactNode;
  /** What still works, in words: by default, the rest of the window. */
  rest?: string;
  /**
   * Told of the failure, in words, instead of the core: a panel with its own way of carrying on (the map's list)
   * reports as it carries on.
   */
  onFault?(problem: string): void;
}

/**
 * One panel of a window, failing alone. A panel that throws while rendering, in an effect, or because a library it
 * loads fails, is replaced by a notice saying what failed and that the rest of the window still works, with a way to
 * try it again; the core's log is told once. Without these, React unmounts the whole window for one panel's error.
 * (Errors in event handlers and promises are not React's to catch: those are shown where they happen.)
 */
export function PanelBoundary(props: PanelBoundaryProps) {
  return <Boundary {...props} api={useContext(ApiContext)} />;
}

class Boundary extends Component<PanelBoundaryProps & { api: CordonApi | null }, { problem: string | null }> {
  override state = { problem: null as string | null };

  static getDerivedStateFromError(error: unknown): { problem: string } {
    return { problem: faultWords(error) };
  }

  override componentDidCatch(error: unknown, _info: ErrorInfo): void {
    const problem = faultWords(error);
    if (this.props.onFault) this.props.onFault(problem);
    else reportFault(this.props.api, this.props.part, problem);
  }

  private readonly retry = () => this.setState({ problem: null });

  override render(): ReactNode {
    const { problem } = this.state;
    if (problem === null) return this.props.children;
    return <PanelFault part={this.props.part} problem={problem} rest={this.props.rest ?? 'The rest of this window still works.'} retry={this.retry} />;
  }
}

/** The notice in a failed panel's place: what failed, in words, that the rest works, and a button to try again. */
export function PanelFault({ part, problem, rest, retry }: { part: string; problem: string; rest: string; retry(): void }) {
  const Part = part.charAt(0).toUpperCase() + part.slice(1);
  return (
    <section className="panel-fault" role="alert" aria-label={`${Part}: failed`}>
      <p>
        <strong>{Part} failed:</strong> {problem}.
      </p>
      <p>{rest}</p>
      <button type="button" onClick={retry}>
        Try {part} again
      </button>
    </section>
  );
}
