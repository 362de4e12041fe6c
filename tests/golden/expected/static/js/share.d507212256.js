// Share buttons that need JavaScript: copy the page's link, and the system's share sheet (Web Share API).
// The plain share links in the same box work without this file. Each button stays hidden unless the
// browser can do what it offers; messages go through textContent only.

for (const box of document.querySelectorAll(".share[data-share-url]")) {
  const { shareUrl: url, shareTitle: title, shareText: text } = box.dataset;
  const status = box.querySelector(".share-status");
  const say = (message) => { if (status) status.textContent = message; };
  const offer = (button, action) => {
    button.closest("[hidden]")?.removeAttribute("hidden");
    button.addEventListener("click", action);
  };

  const copy = box.querySelector(".share-copy");
  if (copy && window.isSecureContext && navigator.clipboard?.writeText) {
    offer(copy, async () => {
      try {
        await navigator.clipboard.writeText(url);
        say(copy.dataset.done);
      } catch {
        say(`${copy.dataset.failed} ${url}`);
      }
    });
  }

  const sheet = box.querySelector(".share-native");
  const data = { title, text, url };
  if (sheet && typeof navigator.share === "function" && (!navigator.canShare || navigator.canShare(data))) {
    offer(sheet, async () => {
      say("");
      try {
        await navigator.share(data);
      } catch (err) {
        if (err?.name !== "AbortError") say(err?.message || String(err));
      }
    });
  }
}
