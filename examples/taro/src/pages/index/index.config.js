export default definePageConfig({ navigationBarTitleText: "omnio chat" });
