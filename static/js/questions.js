/* The way back to a page's list of questions (templates/page.html, `.to-q`): it rests at the foot
   of a phone's screen while the answers scroll by, and steps aside (site.css `.to-q.aside`, hidden) while
   a question's heading passes beneath it, so it never covers one. Without this script it simply
   stays; on wide screens (where the list is always in view) it is not shown and this does nothing. */

const back = document.querySelector('.to-q');
const headings = [...document.querySelectorAll('.answers h2')];

/** Whether a box (top and bottom, px) and any heading overlap, with `room` px to spare. */
export function underAny(box, boxes, room = 8) {
  return boxes.some((h) => h.bottom > box.top - room && h.top < box.bottom + room);
}

if (back && headings.length) {
  let queued = false;
  const check = () => {
    queued = false;
    const box = back.firstElementChild.getBoundingClientRect();
    back.classList.toggle('aside', underAny(box, headings.map((h) => h.getBoundingClientRect())));
  };
  const soon = () => { if (!queued) { queued = true; requestAnimationFrame(check); } };
  addEventListener('scroll', soon, { passive: true });
  addEventListener('resize', soon);
  check();
}
