//! The README's main job, `make demo`, as a test: the whole restaking story
//! on an embedded devnet, every figure it states checked.

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_story_holds() {
    keel_cli::demo::demo(&keel_e2e::wasm_dir()).await.unwrap();
}
