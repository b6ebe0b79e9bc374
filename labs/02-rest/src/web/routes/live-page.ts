import { randomUUID } from "node:crypto";
import { dashboardView } from "@gps-workshop/shared/ui";
import type { Eta } from "eta";
import { Router } from "express";
import { z } from "zod";
import { type ApiClient, ApiError } from "../api-client.ts";
import { answeredBanner, type Banner, failedBanner, waitingBanner } from "../banner.ts";
import { pollingLesson } from "../lesson.ts";
import type { PageSession, PageSessions } from "../page-sessions.ts";
import { POLL_PERIOD, parsePollPeriod } from "../poll-period.ts";
import { sendHtml } from "../send-html.ts";
import { textField } from "../text-field.ts";

export interface LivePageOptions {
  views: Eta;
  api: ApiClient;
  sessions: PageSessions;
  /** Milliseconds since the epoch, for "last answer at". */
  now: () => number;
  /** Told when the API stops or starts answering (not on every poll). */
  onApiChange: (error: ApiError | undefined) => void;
}

const PollQuerySchema = z.object({
  page: z.uuid(),
  period: z.coerce.number().int().min(POLL_PERIOD.min).max(POLL_PERIOD.max),
});

const PageIdSchema = z.uuid();

/**
 * The live page. GET / sends the page, with a new random page id in its poll URL; GET /poll, which
 * the page calls every period, asks the API for the state, adds it to the samples of that page id
 * (its session), and answers with the banner and every widget; POST /period changes the period.
 */
export function livePageRoutes({ views, api, sessions, now, onApiChange }: LivePageOptions): Router {
  const router = Router();
  const widgets = (session: PageSession) => ({
    dashboard: dashboardView(session.samples.records),
    note: pollingLesson(session.period),
  });

  // The page's session starts with its first poll: loading the page stores nothing.
  router.get("/", (_req, res) => {
    const period = POLL_PERIOD.default;
    sendHtml(
      res,
      views.render("page", {
        dashboard: dashboardView([]),
        note: pollingLesson(period),
        pageId: randomUUID(),
        period,
        periodInput: String(period),
        banner: waitingBanner(period),
        apiUrl: api.baseUrl,
      }),
    );
  });

  router.get("/poll", async (req, res) => {
    const query = PollQuerySchema.safeParse(req.query);
    if (!query.success) {
      const banner: Banner = { tone: "error", message: "This poll is malformed: reload the page." };
      sendHtml(res, views.render("poll", { banner }), 400);
      return;
    }
    const session = sessions.resume(query.data.page, query.data.period);
    try {
      session.samples.add(await api.gpsState());
      onApiChange(undefined);
      const banner = answeredBanner(session.period, now());
      sendHtml(res, views.render("poll", { banner, ...widgets(session) }));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      onApiChange(error);
      // Still a 200: the answer is the page's news, and the news is that the API is not answering.
      sendHtml(res, views.render("poll", { banner: failedBanner(error, session.period) }));
    }
  });

  router.post("/period", (req, res) => {
    const page = PageIdSchema.safeParse(textField(req.body, "page"));
    if (!page.success) {
      const banner: Banner = { tone: "error", message: "This form is malformed: reload the page." };
      sendHtml(res, views.render("poll", { banner }), 400);
      return;
    }
    const session = sessions.resume(page.data, POLL_PERIOD.default);
    const typed = textField(req.body, "period");
    const period = parsePollPeriod(typed);
    const data = { pageId: session.id, periodInput: typed };
    if (period === undefined) {
      const error =
        `The period must be a whole number of seconds from ${POLL_PERIOD.min} to ${POLL_PERIOD.max}` +
        ` (got ${JSON.stringify(typed)}): the page keeps asking every ${session.period} s.`;
      sendHtml(res, views.render("period-form", { ...data, period: session.period, error }), 422);
      return;
    }
    session.period = period;
    const banner = waitingBanner(period);
    sendHtml(res, views.render("period-form", { ...data, period, banner, oobPoller: true }));
  });

  return router;
}
