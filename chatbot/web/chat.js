// The web chat: talks to the Rasa-compatible REST webhook; text is always inserted as text, never as HTML.
"use strict";
(function () {
  const log = document.getElementById("log");
  const form = document.getElementById("ask");
  const input = document.getElementById("question");
  const status = document.getElementById("status");
  let sender = sessionStorage.getItem("hfs-chat-sender");
  if (!sender) {
    sender = (crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2));
    sessionStorage.setItem("hfs-chat-sender", sender);
  }

  function add(who, text) {
    const item = document.createElement("li");
    item.className = who;
    const label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = who === "user" ? "You: " : "hfs-chat: ";
    item.append(label, text);
    log.append(item);
    item.scrollIntoView({ block: "nearest" });
    return item;
  }

  async function send(message, shown) {
    add("user", shown);
    status.textContent = "Waiting for the answer";
    try {
      const response = await fetch("/webhooks/rest/webhook", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ sender: sender, message: message }),
      });
      const messages = await response.json();
      if (!response.ok) {
        add("bot", "Sorry, that did not work: " + (messages.message || response.status));
      } else {
        for (const m of messages) {
          const item = add("bot", m.text || "");
          for (const b of m.buttons || []) {
            const button = document.createElement("button");
            button.type = "button";
            button.textContent = b.title;
            button.addEventListener("click", () => send(b.payload, b.title));
            item.append(document.createElement("br"), button);
          }
        }
      }
      status.textContent = "";
    } catch (err) {
      add("bot", "Sorry, the chat server cannot be reached.");
      status.textContent = "";
    }
    input.focus();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    send(text, text);
  });
})();
