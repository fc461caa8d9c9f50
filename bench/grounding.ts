/**
 * `npm run bench:grounding`: the content-trust figures alone (a few seconds, no emulator). Runs the
 * labelled drafts of test/corpus/grounding through compose's checks, with the verifier answered
 * by the OpenAI stand-in on loopback, and prints the tables `npm run bench` writes to
 * docs/BENCHMARKS.md ("Content trust").
 */
import { startOpenAiStandIn } from '#test/standins/OpenAiStandIn';
import { reflowMarkdown } from './report.ts';
import { benchGrounding, groundingSection } from './groundingBench.ts';

const API_KEY = 'bench-openai-key';
const openai = await startOpenAiStandIn({ apiKey: API_KEY });
try {
  const figures = await benchGrounding({ url: openai.url, apiKey: API_KEY });
  console.log(reflowMarkdown(groundingSection(figures)));
  console.log(`\n(${figures.ms} ms; chat completions received by the stand-in: ${openai.calls.count})`);
} finally {
  await openai.close();
}
