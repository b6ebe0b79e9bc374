/** The one sentence under the table that says what polling costs, for the period in force. */
export function pollingLesson(period: number): string {
  if (period === 1) {
    return (
      "Asking every second, as often as the replayer writes (at REPLAY_SPEED=1), shows about every " +
      "record: at the price of a request every second, whether anything changed or not."
    );
  }
  return (
    `Asking every ${period} s while the replayer writes a record every second (at REPLAY_SPEED=1) shows ` +
    `about one record in ${period}: whatever happens in between never reaches this page. That is the price of polling.`
  );
}
