// What a Hub serves, as read by the Hugging Face JavaScript client (@huggingface/hub): prints the
// expected repos for check_cache.mjs as JSON on stdout. Used by tests/scripts/hf_real_client.sh:
//   node list_hub.mjs HUB_URL TYPE:ORG/NAME[:PATTERN,PATTERN...]...
// Each repo gets its commit (modelInfo/datasetInfo sha of main) and its files (listFiles, recursive,
// at that commit) with size and etag (sha256 for LFS files, git blob sha1 for others), kept by the
// allow patterns with huggingface_hub's semantics (fnmatch: "*" matches "/" too).
import { loadHub } from "./load_hub.mjs";

const hub = loadHub("list_hub.mjs");

// Python's fnmatch.translate for the patterns huggingface_hub takes: * ? [seq] [!seq].
function fnmatchRegExp(pattern) {
    let out = "";
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        if (c === "*") out += ".*";
        else if (c === "?") out += ".";
        else if (c === "[" && pattern.indexOf("]", i + 2) > i) {
            const end = pattern.indexOf("]", i + 2);
            let body = pattern.slice(i + 1, end).replaceAll("\\", "\\\\");
            if (body.startsWith("!")) body = "^" + body.slice(1);
            out += `[${body}]`;
            i = end;
        } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    }
    return new RegExp(`^${out}$`, "s");
}

function parseSpec(spec) {
    const [type, name, patterns] = spec.split(":");
    if (!["model", "dataset"].includes(type) || !name?.includes("/"))
        throw new Error(`bad repo spec ${spec} (want model:ORG/NAME[:PATTERNS] or dataset:ORG/NAME)`);
    // huggingface_hub adds "*" to a pattern ending in "/" (a folder).
    const allow = patterns ? patterns.split(",").map((p) => fnmatchRegExp(p.endsWith("/") ? p + "*" : p)) : null;
    return { type, name, allow };
}

const args = process.argv.slice(2);
const hubUrl = args.shift();
if (!hubUrl || args.length === 0) {
    console.error("usage: node list_hub.mjs HUB_URL TYPE:ORG/NAME[:PATTERNS]...");
    process.exit(2);
}

try {
    const repos = [];
    for (const spec of args) {
        const { type, name, allow } = parseSpec(spec);
        const repo = { type, name };
        const info = type === "model"
            ? await hub.modelInfo({ name, hubUrl, additionalFields: ["sha"] })
            : await hub.datasetInfo({ name, hubUrl, additionalFields: ["sha"] });
        const commit = info.sha;
        const files = [];
        for await (const entry of hub.listFiles({ repo, recursive: true, revision: commit, hubUrl })) {
            if (entry.type !== "file") continue;
            if (allow && !allow.some((re) => re.test(entry.path))) continue;
            files.push({ path: entry.path, size: entry.size, etag: entry.lfs ? entry.lfs.oid : entry.oid });
        }
        files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
        repos.push({ type, id: name, commit, files });
    }
    console.log(JSON.stringify(repos, null, 2));
} catch (err) {
    console.error(`list_hub.mjs: ${err.message}`);
    process.exit(1);
}
