import { connectOrStart } from '#local/Emulator';
const e = await connectOrStart({ whenNoEndpoint: 'start-moto', print: console.log });
console.log('ENDPOINT', e.endpoint);
await new Promise(() => {});
