const { createChat } = require("../../utils/chat.js");
const { ROOM } = require("../../utils/config.js");

Page({
  data: {
    status: "disconnected",
    room: "",
    members: [],
    messages: [],
    draft: "",
    error: "",
    nickname: "",
  },

  onLoad() {
    const nickname = "wx-" + Math.floor(Math.random() * 9000 + 1000);
    this.setData({ nickname });
    this.chat = createChat({
      url: getApp().globalData.serverUrl,
      nickname,
      room: ROOM,
      onUpdate: (patch) => this.setData(patch),
    });
  },

  onUnload() {
    if (this.chat) this.chat.close();
  },

  onInput(event) {
    this.setData({ draft: event.detail.value });
  },

  onSend() {
    const text = this.data.draft.trim();
    if (!text || !this.chat || !this.data.room) return;
    this.chat.send(text, (ok) => {
      if (ok) this.setData({ draft: "" });
    });
  },
});
