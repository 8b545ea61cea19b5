/**
 * A gateway in front of the judge simulator: candidates `oracle` ($1/$2 per million tokens), `sloppy` ($0.5/$1),
 * `llama` (self-hosted on 2 H100s), the judge ($3/$6) and the baseline `premium` ($10/$20), which the route
 * `support` serves.
 */
export const evaluationConfig = (url: string) => ({
  providers: {
    sim: { type: 'openai', baseUrl: url },
    gpu: { type: 'vllm', baseUrl: url, hosting: { cloud: 'coreweave', gpu: 'H100', gpus: 2, pricePerHour: 2, tokensPerSecond: 1000 } },
  },
  models: {
    oracle: { provider: 'sim', model: 'oracle', price: { input: 1, output: 2 } },
    sloppy: { provider: 'sim', model: 'sloppy', price: { input: 0.5, output: 1 } },
    judge: { provider: 'sim', model: 'judge', price: { input: 3, output: 6 } },
    premium: { provider: 'sim', model: 'oracle', price: { input: 10, output: 20 } },
    llama: { provider: 'gpu', model: 'oracle' },
  },
  routes: { support: { strategy: 'fallback', targets: ['premium'] } },
});
