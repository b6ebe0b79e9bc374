// Counts the seconds a request has been waiting, for an element such as
//   <form hx-get="…"> … <output data-elapsed>0.0</output> … </form>
// From the moment htmx sends the form's request until its answer arrives, the <output> shows the
// seconds elapsed, so that a student sees a blocking request block.
(() => {
  const timers = new WeakMap();

  document.addEventListener("htmx:before:request", (event) => {
    const source = event.target;
    const output = source instanceof Element ? source.querySelector("[data-elapsed]") : null;
    if (!output) return;
    const started = performance.now();
    const show = () => {
      output.textContent = ((performance.now() - started) / 1000).toFixed(1);
    };
    show();
    clearInterval(timers.get(source));
    timers.set(source, setInterval(show, 100));
  });

  document.addEventListener("htmx:finally:request", (event) => {
    clearInterval(timers.get(event.target));
    timers.delete(event.target);
  });
})();
