import { useEffect, useRef, useState } from "react";
import Taro from "@tarojs/taro";
import { Button, Input, ScrollView, Text, View } from "@tarojs/components";
import { createChat } from "../../services/chat";
import { ROOM, SERVER_URL } from "../../config";
import "./index.css";

const INITIAL = { status: "disconnected", room: "", members: [], messages: [], error: "" };

export default function Index() {
  const [chat, setChat] = useState(INITIAL);
  const [draft, setDraft] = useState("");
  const [nickname] = useState(() => "taro-" + Math.floor(Math.random() * 9000 + 1000));
  const client = useRef(null);

  useEffect(() => {
    client.current = createChat({
      Taro,
      url: SERVER_URL,
      nickname,
      room: ROOM,
      onUpdate: (patch) => setChat((previous) => ({ ...previous, ...patch })),
    });
    return () => client.current.close();
  }, [nickname]);

  const send = () => {
    const text = draft.trim();
    if (text && chat.room && client.current) client.current.send(text, (ok) => ok && setDraft(""));
  };

  return (
    <View className="page">
      <View className="bar">
        <Text className={`badge ${chat.status}`}>{chat.status}</Text>
        <Text className="who">
          {nickname} · #{chat.room} · {chat.members.length} online
        </Text>
      </View>
      {chat.error && <View className="error">{chat.error}</View>}
      <ScrollView className="messages" scrollY>
        {chat.messages.map((message) => (
          <View key={message.id} className="message">
            <Text className="from">{message.from}</Text>
            <Text>{message.text}</Text>
          </View>
        ))}
      </ScrollView>
      <View className="composer">
        <Input
          className="input"
          value={draft}
          placeholder="Say something"
          confirmType="send"
          onInput={(event) => setDraft(event.detail.value)}
          onConfirm={send}
        />
        <Button size="mini" type="primary" disabled={!chat.room} onClick={send}>
          Send
        </Button>
      </View>
    </View>
  );
}
