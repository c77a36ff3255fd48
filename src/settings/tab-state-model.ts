/**
 * What the background knows of each tab, as pure logic: whether the patient paused masking there,
 * and what every document of the tab that runs telemask reports its cameras show.
 *
 * The pause belongs to the page it was made on, not to the tab's URL: single-page apps change their
 * URL (history.pushState) all the time without a new page. A document is known by the id Chrome
 * gives it (`sender.documentId`), told when its port connects:
 *  - a new top document (another id in frame 0) is a new page: masking is on again;
 *  - a new subframe document under a known top document belongs to that page: it keeps the pause;
 *  - where the top document runs no telemask (a covered visit embedded in another site), the pause
 *    is kept while a document paused with it is still connected, and ends with the last of them.
 * Statuses come only from live documents: one that disconnects takes its status with it.
 */
import { combineStatuses, type StatusLine, type TabState } from '../status/status';

export interface DocumentSender {
  tabId: number;
  frameId: number;
  documentId: string;
}

/** What survives the background's restarts (kept in session storage). */
export interface TabControl {
  enabled: boolean;
  /** The tab's top document, when it runs telemask. */
  topDocumentId?: string;
  /** Documents that were live when the patient paused (for tabs whose top document is unknown). */
  pausedDocuments: string[];
}

export const DEFAULT_CONTROL: TabControl = { enabled: true, pausedDocuments: [] };

interface LiveDocument {
  sender: DocumentSender;
  status?: StatusLine;
}

export class TabStateModel {
  private readonly controls = new Map<number, TabControl>();
  private readonly documents = new Map<string, LiveDocument>();

  constructor(persisted: Record<number, TabControl> = {}) {
    for (const [tabId, control] of Object.entries(persisted)) this.controls.set(Number(tabId), { ...control });
  }

  /** A document's port connected (`key` names the connection). Returns the tab's control after it. */
  connect(key: string, sender: DocumentSender): TabControl {
    const control = this.control(sender.tabId);
    const known = control.pausedDocuments.includes(sender.documentId);
    if (sender.frameId === 0) {
      if (control.topDocumentId !== sender.documentId && !known) this.resume(control);
      control.topDocumentId = sender.documentId;
    } else if (!control.enabled && !known && control.topDocumentId === undefined) {
      const pausedPageLive = [...this.documents.values()].some(
        (d) => d.sender.tabId === sender.tabId && control.pausedDocuments.includes(d.sender.documentId),
      );
      if (pausedPageLive) control.pausedDocuments.push(sender.documentId);
      else this.resume(control);
    }
    this.documents.set(key, { sender });
    return { ...control };
  }

  disconnect(key: string): number | undefined {
    const doc = this.documents.get(key);
    this.documents.delete(key);
    return doc?.sender.tabId;
  }

  report(key: string, status: StatusLine): number | undefined {
    const doc = this.documents.get(key);
    if (!doc) return undefined;
    doc.status = status;
    return doc.sender.tabId;
  }

  setEnabled(tabId: number, enabled: boolean): void {
    const control = this.control(tabId);
    control.enabled = enabled;
    control.pausedDocuments = enabled
      ? []
      : [...this.documents.values()].filter((d) => d.sender.tabId === tabId).map((d) => d.sender.documentId);
  }

  removeTab(tabId: number): void {
    this.controls.delete(tabId);
    for (const [key, doc] of this.documents) if (doc.sender.tabId === tabId) this.documents.delete(key);
  }

  enabled(tabId: number): boolean {
    return this.controls.get(tabId)?.enabled ?? true;
  }

  /** Connection keys of the tab's live documents. */
  documentsOf(tabId: number): string[] {
    return [...this.documents].filter(([, d]) => d.sender.tabId === tabId).map(([key]) => key);
  }

  /** Tabs with a control or a live document. */
  tabs(): number[] {
    return [...new Set([...this.controls.keys(), ...[...this.documents.values()].map((d) => d.sender.tabId)])];
  }

  view(tabId: number): TabState {
    const lines = [...this.documents.values()].filter((d) => d.sender.tabId === tabId && d.status).map((d) => d.status!);
    const combined = combineStatuses(lines);
    const state: TabState = { status: combined.status, enabled: this.enabled(tabId) };
    if (combined.problem) state.problem = combined.problem;
    if (combined.perf && combined.status === 'masking') state.perf = combined.perf;
    return state;
  }

  /** Every tab's control, to persist. */
  snapshot(): Record<number, TabControl> {
    return Object.fromEntries([...this.controls].map(([tabId, c]) => [tabId, { ...c, pausedDocuments: [...c.pausedDocuments] }]));
  }

  private control(tabId: number): TabControl {
    let control = this.controls.get(tabId);
    if (!control) {
      control = { ...DEFAULT_CONTROL, pausedDocuments: [] };
      this.controls.set(tabId, control);
    }
    return control;
  }

  private resume(control: TabControl): void {
    control.enabled = true;
    control.pausedDocuments = [];
  }
}
