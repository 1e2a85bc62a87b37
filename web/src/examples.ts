// Posts to start from: each shows findings the way a real draft would.

export const EXAMPLES: { id: string; title: string; text: string }[] = [
  {
    id: "en-review",
    title: "English: a sponsored review",
    text: `---
title: The best espresso grinder under $300
---

# The best espresso grinder under $300

Baratza sent me the Encore ESP to test, and after three months of daily shots I can say
it is the grinder I would buy again.

You can [get the Encore ESP on Amazon](https://www.amazon.com/dp/B0BXQ4R3TZ?tag=coffeenerd-20),
and with my code COFFEE15 you save 15% at the Baratza shop.

## How it grinds

The burrs are sharp, the steps are fine enough for espresso, and the retention is low.
`,
  },
  {
    id: "de-affiliate",
    title: "Deutsch: Affiliate-Links",
    text: `---
title: Die besten Powerbanks für den Urlaub
---

Ich habe in den letzten Wochen fünf Powerbanks auf Reisen mitgenommen und im Alltag
ausprobiert.

Meine Empfehlung ist [die Anker 737](https://www.amazon.de/dp/B09VPHVT2Z?tag=technikkram-21),
weil sie ein Notebook in zwei Stunden lädt und trotzdem ins Handgepäck darf.

Wer es kleiner mag, nimmt die Anker 521: sie passt in jede Jackentasche.
`,
  },
];
