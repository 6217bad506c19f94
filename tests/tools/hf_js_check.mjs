// Drives the loopback Hub (hub_test_serve) with the Hugging Face JavaScript client
// (@huggingface/hub) to check that a real client agrees with it. Run by hf_js_check.sh:
//   node hf_js_check.mjs HUB_JS_DIR HF_ENDPOINT
import { createHash } from "node:crypto";
import { createRequire } from "node:module";

const [hubJsDir, hubUrl] = process.argv.slice(2);
const hub = createRequire(hubJsDir + "/")("@huggingface/hub");
const token = "hf_gapbundle_test";
let failures = 0;
const check = (ok, what) => {
    console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
    if (!ok) failures++;
};
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
const gitBlobSha1 = (bytes) =>
    createHash("sha1").update(Buffer.concat([Buffer.from(`blob ${bytes.length}\0`), bytes])).digest("hex");

async function listAll(repo, extra = {}) {
    const out = [];
    for await (const entry of hub.listFiles({ repo, recursive: true, hubUrl, ...extra })) out.push(entry);
    return out;
}

async function checkRepo(repo, extra = {}) {
    const name = typeof repo === "string" ? repo : `${repo.type}s/${repo.name}`;
    const entries = await listAll(repo, extra);
    const files = entries.filter((e) => e.type === "file");
    check(files.length > 0 && entries.some((e) => e.type === "directory"), `${name}: listFiles gave ${files.length} files and folders`);
    for (const file of files) {
        const blob = await hub.downloadFile({ repo, path: file.path, hubUrl, xet: false, ...extra });
        const bytes = Buffer.from(await blob.arrayBuffer());
        if (file.lfs) {
            check(sha256(bytes) === file.lfs.oid && bytes.length === file.lfs.size,
                `${name}: ${file.path} (LFS, ${bytes.length} bytes) matches lfs.oid`);
            const info = await hub.fileDownloadInfo({ repo, path: file.path, hubUrl, ...extra });
            check(info && info.etag.replaceAll('"', "") === file.lfs.oid && info.size === file.lfs.size,
                `${name}: fileDownloadInfo(${file.path}) gives etag ${info?.etag} size ${info?.size}`);
        } else {
            check(gitBlobSha1(bytes) === file.oid && bytes.length === file.size, `${name}: ${file.path} matches its git blob id`);
        }
    }
    return entries;
}

try {
    const model = "gapbundle-test/tiny-model";
    await checkRepo(model);
    const info = await hub.modelInfo({ name: model, hubUrl });
    check(info.name === model, `modelInfo: name ${info.name}, private ${info.private}, gated ${info.gated}`);

    const missing = await hub.downloadFile({ repo: model, path: "no-such-file", hubUrl });
    check(missing === null, "downloadFile of a missing file gives null (EntryNotFound)");

    const gated = "gapbundle-test/gated-model";
    try {
        await hub.downloadFile({ repo: gated, path: "config.json", hubUrl });
        check(false, "gated repo without a token is refused");
    } catch (error) {
        check(/401|gated|restricted/i.test(String(error?.message)), `gated repo without a token is refused: ${error?.message}`);
    }
    await checkRepo(gated, { accessToken: token });

    await checkRepo({ type: "dataset", name: "gapbundle-test/tiny-dataset" });

    try {
        await hub.downloadFile({ repo: model, path: "config.json", revision: "no-such-branch", hubUrl });
        check(false, "unknown revision is refused");
    } catch (error) {
        check(true, `unknown revision is refused: ${error?.message}`);
    }
} catch (error) {
    check(false, `unexpected error: ${error?.stack ?? error}`);
}
console.log(failures === 0 ? "all checks passed" : `${failures} checks failed`);
process.exit(failures === 0 ? 0 : 1);
