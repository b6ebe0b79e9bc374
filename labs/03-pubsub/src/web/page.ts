/**
 * The page "GPS Reactive Replayer" (GET /) and its stream of HTML (GET /ui/events), which htmx's
 * hx-sse extension swaps in. The web keeps the newest records once, for every page, and sends
 * each page only what changed, in frames of at most a few kilobytes:
 * - the new rows of the table, added out of band at its top (the oldest rows are deleted);
 * - the state card, and the charts and the track drawn from a fixed number of points;
 * - at most FRAMES_PER_SECOND frames a second, whatever the replay speed: the records that
 *   arrive meanwhile go in the next frame, and the last frame always shows the newest record.
 * A page that connects gets the whole dashboard; each frame is rendered once for all pages.
 *
 *   curl -N http://localhost:8502/ui/events
 */
import path from "node:path";
import { dashboardView, formatDateTime, loadSharedPartials, samplesCaption } from "@gps-workshop/shared/ui";
import { Eta } from "eta";
import type { Request, Response } from "express";
import type { Alert, Relayed } from "./messages.ts";
import { Audience, type AudienceOptions, type RedisStatus, sseFrame, statusFrame } from "./sse.ts";

const FRAMES_PER_SECOND = 4;
/** Points of each chart and of the track: a frame's size does not grow with the records held. */
const POINTS = 30;
const TABLE_ROWS = 50;
const ALERTS_SHOWN = 10;

export interface PageOptions {
  /** This process's name (its host name, a container's id), shown on the page. */
  instance: string;
  /** The newest records the page is drawn from. */
  capacity: number;
  /** Compile each template once (production); otherwise an edited template shows on reload. */
  cacheTemplates: boolean;
  streams: AudienceOptions;
  /** The web's link to Redis, for a page that connects. */
  status(): RedisStatus;
}

export class Page {
  readonly audience: Audience;
  framesRendered = 0;
  readonly #options: PageOptions;
  readonly #views: Eta;
  /** Oldest first; the newest `#fresh` of them are not in a frame yet. */
  #records: Relayed[] = [];
  #fresh = 0;
  /** The track started over since the last frame: the table starts over too. */
  #startedOver = false;
  #timer: NodeJS.Timeout | undefined;
  #lastFrameAt = Number.NEGATIVE_INFINITY;
  /** Counts the frames; the snapshot of a page that connects is rendered once per frame. */
  #version = 0;
  #snapshot: { version: number; frame: Buffer } | undefined;
  /** The newest alerts, newest first, for a page that loads. */
  #alerts: Alert[] = [];

  constructor(options: PageOptions) {
    this.#options = options;
    this.audience = new Audience(options.streams);
    this.#views = new Eta({
      views: path.join(import.meta.dirname, "views"),
      autoEscape: true,
      cache: options.cacheTemplates,
      // A frame goes to every page: no indentation.
      rmWhitespace: true,
    });
    loadSharedPartials(this.#views);
  }

  /** A record from the relay. One older than the newest starts the charts over: they run forwards in time. */
  add(relayed: Relayed): void {
    const newest = this.#records.at(-1)?.record.timestamp ?? Number.NEGATIVE_INFINITY;
    if (relayed.record.timestamp === newest) return;
    if (relayed.record.timestamp < newest) {
      this.#records = [];
      this.#fresh = 0;
      this.#startedOver = true;
    }
    this.#records.push(relayed);
    if (this.#records.length > this.#options.capacity) this.#records.shift();
    this.#fresh++;
    this.#timer ??= setTimeout(
      () => this.#sendFrame(),
      Math.max(0, this.#lastFrameAt + 1000 / FRAMES_PER_SECOND - performance.now()),
    );
  }

  /** GET /: the whole page, as the last frame left it. */
  readonly page = (_req: Request, res: Response): void => {
    const dashboard = dashboardView(this.#shown(), { maxPoints: POINTS, tableRows: TABLE_ROWS });
    const stamp = this.#stamp("snapshot");
    const html = this.#views.render("page", { dashboard, stamp, alerts: this.#alerts });
    res.type("html").set("Cache-Control", "no-store").send(html);
  };

  /** GET /ui/events: the whole dashboard, then a frame whenever something changed. */
  readonly events = (req: Request, res: Response): void => {
    const stream = this.audience.join(req, res, this.#options.status());
    if (stream === undefined) return;
    if (this.#snapshot?.version !== this.#version) {
      this.#snapshot = {
        version: this.#version,
        frame: Buffer.from(this.#frame("snapshot", TABLE_ROWS, true)),
      };
    }
    stream.write(this.#snapshot.frame);
  };

  /** An alert from gps_alerts: at once, at the top of every page's Alerts panel. */
  alert(alert: Alert): void {
    this.#alerts = [alert, ...this.#alerts].slice(0, ALERTS_SHOWN);
    const html = this.#views.render("alerts", { alerts: [alert], keep: ALERTS_SHOWN - 1, oob: true });
    this.audience.toAll(sseFrame({ data: html.replaceAll("\n", " ") }));
  }

  onStatus(status: RedisStatus): void {
    this.audience.toAll(statusFrame(status));
  }

  close(): void {
    clearTimeout(this.#timer);
    this.audience.close();
  }

  /** The frame of what changed since the last one; none (nothing rendered) when not `wanted`. */
  nextFrame(wanted = true): string | undefined {
    const fresh = Math.min(this.#fresh, TABLE_ROWS);
    const replace = this.#startedOver || fresh === TABLE_ROWS;
    this.#fresh = 0;
    this.#startedOver = false;
    this.#version++;
    if (!wanted || fresh === 0) return undefined;
    this.framesRendered++;
    return this.#frame("event", fresh, replace);
  }

  /** The dashboard as the pages show it, with the newest `rows` rows of the table (all of it if `replace`). */
  #frame(kind: "event" | "snapshot", rows: number, replace: boolean): string {
    // Only the rows sent are formatted: the others are on the pages already.
    const dashboard = dashboardView(this.#shown(), { maxPoints: POINTS, tableRows: rows });
    const { total } = dashboard.table;
    const table = { ...dashboard.table, caption: samplesCaption(Math.min(total, TABLE_ROWS), total) };
    const stamp = this.#stamp(kind);
    const html = this.#views.render("frame", { dashboard, table, replace, keep: TABLE_ROWS - rows, stamp });
    // One `data:` line: a line break between two tags is a space, as far as HTML is concerned.
    const id = kind === "event" ? this.#records.at(-1)?.id : undefined;
    return sseFrame({ id, data: html.replaceAll("\n", " ") });
  }

  #sendFrame(): void {
    this.#timer = undefined;
    this.#lastFrameAt = performance.now();
    // No page open: nothing to render. A page that opens gets the whole dashboard.
    const frame = this.nextFrame(this.audience.streams.size > 0);
    if (frame !== undefined) this.audience.toAll(frame);
  }

  /** The records the pages show: all but those that wait for the next frame. */
  #shown() {
    return this.#records
      .slice(0, Math.max(0, this.#records.length - this.#fresh))
      .map(({ record }) => record);
  }

  /** Which web sent the page its last update; for a frame, when it received the newest record (latency.js). */
  #stamp(kind: "event" | "snapshot") {
    const shown = this.#records.length - this.#fresh;
    const newest = shown > 0 ? this.#records[shown - 1] : undefined;
    const instance = this.#options.instance;
    if (newest === undefined) return { kind, instance };
    const receivedAt = kind === "event" ? newest.receivedAt : undefined;
    return { kind, instance, time: formatDateTime(newest.record.timestamp), eventId: newest.id, receivedAt };
  }
}
