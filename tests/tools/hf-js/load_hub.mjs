// The Hugging Face JavaScript client for the scripts beside this file; exits 2 with the set-up
// step when it is not installed.
import { createRequire } from "node:module";

export function loadHub(script) {
    const require = createRequire(import.meta.url);
    try {
        return require("@huggingface/hub");
    } catch {
        console.error(`${script}: @huggingface/hub is not installed: run scripts/setup.sh (npm ci in tests/tools/hf-js)`);
        process.exit(2);
    }
}
