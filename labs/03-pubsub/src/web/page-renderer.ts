import { type DashboardView, dashboardView, formatDateTime } from "@gps-workshop/shared/ui";
import type { Eta } from "eta";
import type { DashboardState } from "./dashboard-state.ts";
import type { GpsEvent } from "./gps-event.ts";

export interface PageRendererOptions {
  state: DashboardState;
  views: Eta;
  /** This web process's name (its host name), shown on the page. */
  instance: string;
}

/** The line under the connection indicator: what the last update was, and who sent it. */
export interface StampView {
  kind: "event" | "snapshot";
  instance: string;
  /** The newest record's time, UTC; undefined before the first record. */
  time?: string;
  eventId?: number;
  /** `Date.now()` when this process received the record: only for live events, for the latency. */
  receivedAt?: number;
}

/**
 * The HTML of the page "GPS Reactive Replayer": the whole page, and the updates pushed to it.
 * An update is every widget's new content, swapped out of band, and a stamp. The widgets are
 * rendered once per change of the dashboard, and the same HTML is used for every browser: for
 * the event that changed it, and for each browser that connects until the next change.
 */
export class PageRenderer {
  readonly #state: DashboardState;
  readonly #views: Eta;
  readonly #instance: string;
  #widgets: { version: number; html: string } | undefined;
  #renders = 0;

  constructor(options: PageRendererOptions) {
    this.#state = options.state;
    this.#views = options.views;
    this.#instance = options.instance;
  }

  /** How many times the widgets were rendered for an update: once per event, whatever the number of browsers. */
  get renders(): number {
    return this.#renders;
  }

  /** The whole page, drawn from the records held now. */
  page(): string {
    return this.#views.render("page", {
      dashboard: this.#dashboard(),
      note: this.#note(),
      stamp: this.#stamp("snapshot"),
    });
  }

  /** A live event's update, stamped with the time its record reached this process. */
  event(event: GpsEvent): string {
    const stamp: StampView = {
      kind: "event",
      instance: this.#instance,
      time: formatDateTime(event.record.timestamp),
      eventId: event.id,
      receivedAt: event.receivedAt,
    };
    return this.#update(stamp);
  }

  /** What a browser gets when it connects: every widget, as the records stand. */
  snapshot(): string {
    return this.#update(this.#stamp("snapshot"));
  }

  #update(stamp: StampView): string {
    const { version } = this.#state;
    if (this.#widgets?.version !== version) {
      const html = this.#views.render("@dashboard-update", {
        dashboard: this.#dashboard(),
        note: this.#note(),
      });
      this.#widgets = { version, html };
      this.#renders++;
    }
    return this.#widgets.html + this.#views.render("stamp", { stamp, oob: true });
  }

  #dashboard(): DashboardView {
    return dashboardView(this.#state.events.map(({ record }) => record));
  }

  #note(): string {
    return (
      `Each record is pushed to this page as it is published: the page never asks. The web service ` +
      `keeps the newest ${this.#state.capacity} records once, for every browser it serves.`
    );
  }

  #stamp(kind: StampView["kind"]): StampView {
    const newest = this.#state.events.at(-1);
    if (newest === undefined) return { kind, instance: this.#instance };
    return {
      kind,
      instance: this.#instance,
      time: formatDateTime(newest.record.timestamp),
      eventId: newest.id,
    };
  }
}
