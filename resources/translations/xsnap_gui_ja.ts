<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
    <context>
        <name>Actions</name>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="52"></location>
            <source>%s (your role does not allow this)</source>
            <translation>%s (お使いのロールでは実行できません)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="53"></location>
            <source>%s (needs the %s role or higher)</source>
            <translation>%s (%s 以上のロールが必要です)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="70"></location>
            <source>Take &amp;Snapshot…</source>
            <translation>スナップショットの作成(&amp;S)…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="71"></location>
            <source>Take a snapshot of the VM's disks</source>
            <translation>VM のディスクのスナップショットを作成します</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="77"></location>
            <source>Take Snapshot with &amp;Memory…</source>
            <translation>メモリを含んだスナップショットの作成(&amp;M)…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="78"></location>
            <source>Take a snapshot of the VM's disks and memory</source>
            <translation>VM のディスクとメモリのスナップショットを作成します</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="84"></location>
            <source>&amp;Revert to Snapshot…</source>
            <translation>スナップショットに復元(&amp;R)…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="85"></location>
            <source>Revert the VM to the selected snapshot</source>
            <translation>選択したスナップショットに VM を復元します</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="91"></location>
            <source>&amp;Delete Snapshot…</source>
            <translation>スナップショットの削除(&amp;D)…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="92"></location>
            <source>Delete the selected snapshots</source>
            <translation>選択したスナップショットを削除します</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="98"></location>
            <source>&amp;Export as XVA…</source>
            <translation>XVA としてエクスポート(&amp;E)…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="99"></location>
            <source>Export the selected snapshot to an XVA file</source>
            <translation>選択したスナップショットを XVA ファイルにエクスポートします</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="105"></location>
            <source>New &amp;Template from Snapshot…</source>
            <translation>スナップショットから新規テンプレート(&amp;T)…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="106"></location>
            <source>Create a template from the selected snapshot</source>
            <translation>選択したスナップショットからテンプレートを作成します</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="112"></location>
            <source>New &amp;VM from Snapshot…</source>
            <translation>スナップショットから新規 VM(&amp;V)…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="113"></location>
            <source>Create a VM from the selected snapshot</source>
            <translation>選択したスナップショットから VM を作成します</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="119"></location>
            <source>&amp;Properties…</source>
            <translation>プロパティ(&amp;P)…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="120"></location>
            <source>Edit the name, description and tags of the selected snapshot</source>
            <translation>選択したスナップショットの名前、説明、タグを編集します</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="128"></location>
            <source>New Snapshot &amp;Schedule…</source>
            <translation>新規スナップショットスケジュール(&amp;S)…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="129"></location>
            <source>Create a scheduled snapshot policy for VMs of this pool</source>
            <translation>このプールの VM のスナップショットスケジュールを作成します</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="135"></location>
            <source>VM Snapshot S&amp;chedules…</source>
            <translation>VM スナップショットスケジュール(&amp;C)…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="136"></location>
            <source>Show, change and check the pool's snapshot schedules</source>
            <translation>プールのスナップショットスケジュールを表示、変更、確認します</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="142"></location>
            <source>&amp;Add Server…</source>
            <translation>サーバーの追加(&amp;A)…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="143"></location>
            <source>Connect to a XenServer or XCP-ng pool</source>
            <translation>XenServer または XCP-ng のプールに接続します</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="149"></location>
            <source>Snapshot &amp;Tree</source>
            <translation>スナップショットのツリー表示(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="150"></location>
            <source>Show snapshots as a tree over time</source>
            <translation>スナップショットを時系列のツリーで表示します</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="158"></location>
            <source>Snapshot &amp;List</source>
            <translation>スナップショットの一覧表示(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="159"></location>
            <source>Show snapshots as a sortable list</source>
            <translation>スナップショットを並べ替え可能な一覧で表示します</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/actions.py" line="236"></location>
            <source>%s (not available in this version)</source>
            <translation>%s (このバージョンでは利用できません)</translation>
        </message>
    </context>
    <context>
        <name>AddServerDialog</name>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="83"></location>
            <source>Edit Server</source>
            <translation>サーバーの編集</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="83"></location>
            <source>Add Server</source>
            <translation>サーバーの追加</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="94"></location>
            <source>Connect to a XenServer, XCP-ng or Citrix Hypervisor pool. Give any of its hosts: a pool member sends xsnap on to the pool coordinator.</source>
            <translation>XenServer、XCP-ng または Citrix Hypervisor のプールに接続します。プール内の任意のホストを指定できます (プールメンバーを指定すると、xsnap はプールコーディネーターに転送されます)。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="102"></location>
            <source>pool1.example.com, 10.0.0.5:443 or https://…</source>
            <translation>pool1.example.com、10.0.0.5:443 または https://…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="109"></location>
            <source>Remember password in the keyring</source>
            <translation>キーリングにパスワードを保存する</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="112"></location>
            <source>Connect when xsnap starts</source>
            <translation>xsnap の起動時に接続する</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="121"></location>
            <source>Unchanged</source>
            <translation>変更なし</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="140"></location>
            <source>&amp;Server:</source>
            <translation>サーバー(&amp;S):</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="141"></location>
            <source>&amp;User name:</source>
            <translation>ユーザー名(&amp;U):</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="142"></location>
            <source>&amp;Password:</source>
            <translation>パスワード(&amp;P):</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="148"></location>
            <source>Save and Connect</source>
            <translation>保存して接続</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="148"></location>
            <source>Connect</source>
            <translation>接続</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="151"></location>
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="153"></location>
            <source>Close</source>
            <translation>閉じる</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="214"></location>
            <source>Enter the server's host name or address.</source>
            <translation>サーバーのホスト名またはアドレスを入力してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="223"></location>
            <source>Enter the user name.</source>
            <translation>ユーザー名を入力してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="226"></location>
            <source>Enter the password.</source>
            <translation>パスワードを入力してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="236"></location>
            <source>Connecting to %1…</source>
            <translation>%1 に接続しています…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="262"></location>
            <source>The server kept presenting other certificates.</source>
            <translation>サーバーが毎回異なる証明書を提示しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="268"></location>
            <source>%1 is a pool member; this is the certificate of the pool coordinator %2, where xsnap was redirected.</source>
            <translation>%1 はプールメンバーです。これは、xsnap の転送先であるプールコーディネーター %2 の証明書です。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="282"></location>
            <source>Check the server's certificate…</source>
            <translation>サーバーの証明書を確認してください…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="288"></location>
            <source>Not connected: the certificate was not trusted.</source>
            <translation>証明書が信頼されなかったため、接続していません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/add_server_dialog.py" line="307"></location>
            <source>Connected. %1 is a pool member: xsnap was redirected to the pool coordinator %2, and saved that address.</source>
            <translation>接続しました。%1 はプールメンバーのため、xsnap はプールコーディネーター %2 に転送され、そのアドレスを保存しました。</translation>
        </message>
    </context>
    <context>
        <name>CertificateDialog</name>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="97"></location>
            <source>Certificate Changed</source>
            <translation>証明書の変更</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="98"></location>
            <source>Untrusted Certificate</source>
            <translation>信頼されていない証明書</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="115"></location>
            <source>The certificate of %1 has changed</source>
            <translation>%1 の証明書が変更されました</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="117"></location>
            <source>The server presents a different certificate from the one you trusted, so the connection was refused. This is expected after the host's certificate was renewed or the host was reinstalled. Otherwise someone may be intercepting the connection: ask the host's administrator for the new fingerprint and compare before you trust it.</source>
            <translation>サーバーが提示した証明書は信頼済みの証明書と異なるため、接続は拒否されました。ホストの証明書を更新した後やホストを再インストールした後であれば、これは想定どおりです。そうでない場合は、第三者が接続を傍受している可能性があります。ホストの管理者に新しいフィンガープリントを問い合わせ、比較してから信頼してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="123"></location>
            <source>Do you trust the certificate of %1?</source>
            <translation>%1 の証明書を信頼しますか？</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="125"></location>
            <source>The server presented a certificate that no authority trusted by this computer has signed. XenServer and XCP-ng hosts usually have such self-signed certificates. Compare the fingerprint with the host's own (for example from “xe certificate-list” on the host) before you trust it.</source>
            <translation>サーバーが提示した証明書は、このコンピューターが信頼する認証局によって署名されていません。XenServer や XCP-ng のホストは通常、このような自己署名証明書を使用しています。信頼する前に、フィンガープリントをホスト自身のもの (たとえばホスト上の「xe certificate-list」の出力) と比較してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="139"></location>
            <source>Trusted fingerprint (SHA-256):</source>
            <translation>信頼済みのフィンガープリント (SHA-256):</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="142"></location>
            <source>Presented fingerprint (SHA-256):</source>
            <translation>提示されたフィンガープリント (SHA-256):</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="143"></location>
            <source>Fingerprint (SHA-256):</source>
            <translation>フィンガープリント (SHA-256):</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="144"></location>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="212"></location>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="221"></location>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="230"></location>
            <source>(not known)</source>
            <translation>(不明)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="146"></location>
            <source>Subject:</source>
            <translation>サブジェクト:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="148"></location>
            <source>Issuer:</source>
            <translation>発行者:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="151"></location>
            <source>Valid from:</source>
            <translation>有効期間の開始:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="154"></location>
            <source>Valid until:</source>
            <translation>有効期間の終了:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="157"></location>
            <source>Not trusted because:</source>
            <translation>信頼されない理由:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="173"></location>
            <source>I have checked the new fingerprint and I trust this certificate</source>
            <translation>新しいフィンガープリントを確認し、この証明書を信頼します</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="181"></location>
            <source>Trust the New Certificate and Connect</source>
            <translation>新しい証明書を信頼して接続</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="182"></location>
            <source>Trust and Connect</source>
            <translation>信頼して接続</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="184"></location>
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="214"></location>
            <source>%1 (self-signed)</source>
            <translation>%1 (自己署名)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="223"></location>
            <source>%1 — not valid yet</source>
            <translation>%1 — まだ有効ではありません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/certificate_dialog.py" line="232"></location>
            <source>%1 — expired</source>
            <translation>%1 — 期限切れ</translation>
        </message>
    </context>
    <context>
        <name>Connections</name>
        <message>
            <location filename="../../xsnap_gui/ui/connections/password_dialog.py" line="120"></location>
            <source>the keyring is disabled in keyring's configuration</source>
            <translation>keyring の設定でキーリングが無効になっています</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/password_dialog.py" line="122"></location>
            <source>the configured keyring keeps passwords in a file, which xsnap does not use</source>
            <translation>設定されたキーリングはパスワードをファイルに保存する方式で、xsnap では使用しません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/password_dialog.py" line="127"></location>
            <source>the keyring does not answer (is it locked?)</source>
            <translation>キーリングが応答しません (ロックされていませんか？)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/password_dialog.py" line="129"></location>
            <source>the keyring cannot be used</source>
            <translation>キーリングを使用できません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/password_dialog.py" line="131"></location>
            <source>no keyring service (such as GNOME Keyring, KWallet or KeePassXC) is available</source>
            <translation>キーリングサービス (GNOME Keyring、KWallet、KeePassXC など) を利用できません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/password_dialog.py" line="134"></location>
            <source>Passwords cannot be saved: %1. The password is not stored anywhere, and xsnap asks for it each time it connects.</source>
            <translation>パスワードを保存できません: %1。パスワードはどこにも保存されず、接続のたびに xsnap がパスワードを要求します。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/texts.py" line="28"></location>
            <source>the server</source>
            <translation>サーバー</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/texts.py" line="30"></location>
            <source>The user name or password is wrong: the server refused the login.</source>
            <translation>ユーザー名またはパスワードが正しくありません。サーバーがログインを拒否しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/texts.py" line="33"></location>
            <source>The certificate of %1 has changed since you trusted it. The connection was refused.</source>
            <translation>%1 の証明書が、信頼した時点から変更されています。接続は拒否されました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/texts.py" line="37"></location>
            <source>The certificate of %1 is not trusted.</source>
            <translation>%1 の証明書は信頼されていません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/texts.py" line="43"></location>
            <source>This address cannot be used: %1</source>
            <translation>このアドレスは使用できません: %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/texts.py" line="44"></location>
            <source>The connection failed unexpectedly (%1).</source>
            <translation>接続が予期せず失敗しました (%1)。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/texts.py" line="56"></location>
            <source>The host name %1 cannot be found. Check the spelling, or use the host's IP address.</source>
            <translation>ホスト名 %1 が見つかりません。スペルを確認するか、ホストの IP アドレスを使用してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/texts.py" line="61"></location>
            <source>%1 cannot be reached: no route to the host. Check the network and the address.</source>
            <translation>%1 に到達できません: ホストへのルートがありません。ネットワークとアドレスを確認してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/texts.py" line="65"></location>
            <source>%1 refused the connection. Is xapi running there, and is the port right?</source>
            <translation>%1 が接続を拒否しました。xapi が実行中か、ポートが正しいかを確認してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/texts.py" line="69"></location>
            <source>%1 did not answer in time.</source>
            <translation>%1 から時間内に応答がありませんでした。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/texts.py" line="71"></location>
            <source>The connection to %1 was lost.</source>
            <translation>%1 への接続が切断されました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/texts.py" line="73"></location>
            <source>The secure (TLS) connection to %1 failed: %2</source>
            <translation>%1 へのセキュア (TLS) 接続に失敗しました: %2</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/texts.py" line="76"></location>
            <source>%1 did not answer as a XenServer or XCP-ng host does: %2</source>
            <translation>%1 は XenServer や XCP-ng のホストとして応答しませんでした: %2</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/texts.py" line="79"></location>
            <source>Cannot talk to %1: %2</source>
            <translation>%1 と通信できません: %2</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/texts.py" line="85"></location>
            <source>The keyring does not answer (is it locked?).</source>
            <translation>キーリングが応答しません (ロックされていませんか？)。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/texts.py" line="87"></location>
            <source>The keyring is locked.</source>
            <translation>キーリングがロックされています。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/texts.py" line="89"></location>
            <source>No keyring service is available.</source>
            <translation>キーリングサービスを利用できません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/texts.py" line="90"></location>
            <source>The keyring reported an error.</source>
            <translation>キーリングでエラーが発生しました。</translation>
        </message>
    </context>
    <context>
        <name>ConnectionsController</name>
        <message>
            <location filename="../../xsnap_gui/ui/connections/controller.py" line="110"></location>
            <source>Saved Servers</source>
            <translation>保存済みのサーバー</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/controller.py" line="111"></location>
            <source>Some saved servers could not be read: %1</source>
            <translation>一部の保存済みサーバーを読み込めませんでした: %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/controller.py" line="151"></location>
            <source>Cannot Connect</source>
            <translation>接続できません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/controller.py" line="213"></location>
            <source>The keyring has no saved password for this server.</source>
            <translation>このサーバーのパスワードはキーリングに保存されていません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/controller.py" line="261"></location>
            <source>Password Not Saved</source>
            <translation>パスワード未保存</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/controller.py" line="262"></location>
            <source>The password could not be saved in the keyring. %1 It was not saved anywhere else; xsnap will ask for it at the next connection.</source>
            <translation>パスワードをキーリングに保存できませんでした。%1ほかの場所にも保存されていないため、次回の接続時に xsnap がパスワードを要求します。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/controller.py" line="457"></location>
            <source>&amp;Disconnect</source>
            <translation>切断(&amp;D)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/controller.py" line="459"></location>
            <location filename="../../xsnap_gui/ui/connections/controller.py" line="481"></location>
            <source>&amp;Reconnect</source>
            <translation>再接続(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/controller.py" line="461"></location>
            <source>&amp;Forget Server…</source>
            <translation>サーバーの登録解除(&amp;F)…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/controller.py" line="463"></location>
            <source>&amp;Edit…</source>
            <translation>編集(&amp;E)…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/controller.py" line="477"></location>
            <source>&amp;Retry</source>
            <translation>再試行(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/controller.py" line="479"></location>
            <source>&amp;Connect</source>
            <translation>接続(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/controller.py" line="484"></location>
            <source>This connection is not managed by xsnap's server list (the demo pool)</source>
            <translation>この接続は xsnap のサーバー一覧では管理されていません (デモプール)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/controller.py" line="540"></location>
            <source>Forget Server</source>
            <translation>サーバーの登録解除</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/controller.py" line="541"></location>
            <source>Forget %1? It is removed from the server list, and its saved password is deleted from the keyring.</source>
            <translation>%1 の登録を解除しますか？サーバー一覧から削除され、保存済みのパスワードもキーリングから削除されます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/controller.py" line="545"></location>
            <source>Forget</source>
            <translation>登録解除</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <location filename="../../xsnap_gui/ui/main_window.py" line="46"></location>
            <source>xsnap — XenServer snapshots</source>
            <translation>xsnap — XenServer スナップショット</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/main_window.py" line="59"></location>
            <source>Filter VMs…</source>
            <translation>VM のフィルター…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/main_window.py" line="72"></location>
            <source>Snapshots</source>
            <translation>スナップショット</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/main_window.py" line="104"></location>
            <source>&amp;File</source>
            <translation>ファイル(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/main_window.py" line="107"></location>
            <source>&amp;Quit</source>
            <translation>終了(&amp;Q)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/main_window.py" line="111"></location>
            <source>&amp;View</source>
            <translation>表示(&amp;V)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/main_window.py" line="116"></location>
            <source>&amp;Snapshot</source>
            <translation>スナップショット(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/main_window.py" line="124"></location>
            <source>&amp;Pool</source>
            <translation>プール(&amp;P)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/main_window.py" line="128"></location>
            <source>Main toolbar</source>
            <translation>メインツールバー</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/main_window.py" line="227"></location>
            <source>pool-admin (local superuser)</source>
            <translation>pool-admin (ローカルスーパーユーザー)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/main_window.py" line="228"></location>
            <source>Role: %s</source>
            <translation>ロール: %s</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/main_window.py" line="232"></location>
            <source>No servers. Add one with Add Server.</source>
            <translation>サーバーがありません。「サーバーの追加」で追加してください。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/main_window.py" line="242"></location>
            <source>%n task(s) running</source>
            <translation>
                <numerusform>%n 件のタスクを実行中</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/main_window.py" line="246"></location>
            <source>%s: connected</source>
            <translation>%s: 接続済み</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/main_window.py" line="248"></location>
            <source>%s: reconnecting (attempt %d)</source>
            <translation>%s: 再接続中 (%d 回目)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/main_window.py" line="250"></location>
            <source>%s: failed — %s</source>
            <translation>%s: 接続失敗 — %s</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/main_window.py" line="252"></location>
            <source>%s: disconnected</source>
            <translation>%s: 切断</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/main_window.py" line="253"></location>
            <source>%s: connecting…</source>
            <translation>%s: 接続中…</translation>
        </message>
    </context>
    <context>
        <name>OperationDialogs</name>
        <message>
            <location filename="../../xsnap_gui/ui/operations/base.py" line="35"></location>
            <source>Take snapshot</source>
            <translation>スナップショットの作成</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/base.py" line="36"></location>
            <source>Take snapshot with memory</source>
            <translation>メモリを含んだスナップショットの作成</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/base.py" line="37"></location>
            <source>Revert to snapshot</source>
            <translation>スナップショットに復元</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/base.py" line="38"></location>
            <source>Start VM</source>
            <translation>VM の起動</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/base.py" line="39"></location>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="298"></location>
            <source>Resume VM</source>
            <translation>VM の再開</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/base.py" line="40"></location>
            <source>Clone snapshot</source>
            <translation>スナップショットのクローン</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/base.py" line="41"></location>
            <source>Copy snapshot</source>
            <translation>スナップショットのコピー</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/base.py" line="42"></location>
            <source>Provision VM</source>
            <translation>VM のプロビジョニング</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/base.py" line="43"></location>
            <source>Delete snapshot disk</source>
            <translation>スナップショットのディスクの削除</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/base.py" line="44"></location>
            <source>Delete snapshot</source>
            <translation>スナップショットの削除</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/base.py" line="45"></location>
            <source>Export snapshot</source>
            <translation>スナップショットのエクスポート</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/base.py" line="52"></location>
            <source>Not connected to the pool.</source>
            <translation>プールに接続されていません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/base.py" line="56"></location>
            <source>your role</source>
            <translation>不明</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/base.py" line="58"></location>
            <source>Your role (%1) does not allow this.</source>
            <translation>お使いのロール (%1) では、この操作は許可されていません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/base.py" line="60"></location>
            <source>Your role (%1) does not allow this; it needs %2 or higher.</source>
            <translation>お使いのロール (%1) では、この操作は許可されていません。%2 以上のロールが必要です。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/base.py" line="117"></location>
            <source>Checks before you go on</source>
            <translation>実行前のチェック</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/copy_options.py" line="58"></location>
            <source>Fast &amp;clone</source>
            <translation>高速クローン(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/copy_options.py" line="61"></location>
            <source>Full c&amp;opy to:</source>
            <translation>完全コピー先(&amp;O):</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/copy_options.py" line="82"></location>
            <source>%1 — %2 free</source>
            <translation>%1 — 空き %2</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/copy_options.py" line="92"></location>
            <source>The pool does not allow cloning this snapshot now.</source>
            <translation>現在、プールはこのスナップショットのクローンを許可していません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/copy_options.py" line="97"></location>
            <source>The pool does not allow copying this snapshot now.</source>
            <translation>現在、プールはこのスナップショットのコピーを許可していません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/copy_options.py" line="101"></location>
            <source>Quick, and takes little space: the new disks share the snapshot's data on its SRs (copy-on-write).</source>
            <translation>短時間で完了し、容量もほとんど使いません。新しいディスクは、スナップショットの SR 上のデータを共有します (コピーオンライト)。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/copy_options.py" line="104"></location>
            <source>Independent disks on the chosen SR. Takes as long as copying the data.</source>
            <translation>選択した SR 上に独立したディスクを作成します。データのコピーと同じだけ時間がかかります。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="62"></location>
            <source>Delete snapshot “%1”?</source>
            <translation>スナップショット「%1」を削除しますか？</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="64"></location>
            <source>Delete %n snapshots?</source>
            <translation>
                <numerusform>%n 個のスナップショットを削除しますか？</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="66"></location>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="268"></location>
            <source>Delete Snapshots</source>
            <translation>スナップショットの削除</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="68"></location>
            <source>&amp;Delete</source>
            <translation>削除(&amp;D)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="85"></location>
            <source>Snapshot and its &amp;disks</source>
            <translation>スナップショットとそのディスク(&amp;D)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="88"></location>
            <source>Deletes the snapshot and the disks it owns, and its memory image: the space comes back once the storage has merged (coalesced) the chain. Like xe snapshot-uninstall.</source>
            <translation>スナップショットと、それが所有するディスクおよびメモリイメージを削除します。容量は、ストレージがチェーンを結合 (coalesce) した後に解放されます。xe snapshot-uninstall に相当します。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="92"></location>
            <source>Snapshot &amp;record only</source>
            <translation>スナップショットのレコードのみ(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="95"></location>
            <source>Deletes only the snapshot's record. Its disks stay on their SRs, taking their space, and belong to no snapshot any more. Like xe snapshot-destroy.</source>
            <translation>スナップショットのレコードだけを削除します。ディスクは SR 上に残って容量を使い続け、どのスナップショットにも属さなくなります。xe snapshot-destroy に相当します。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="111"></location>
            <source>Disk</source>
            <translation>ディスク</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="112"></location>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="150"></location>
            <source>Snapshot</source>
            <translation>スナップショット</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="113"></location>
            <source>SR</source>
            <translation>SR</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="114"></location>
            <source>Size</source>
            <translation>サイズ</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="115"></location>
            <source>Afterwards</source>
            <translation>実行後</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="130"></location>
            <source>This cannot be undone.</source>
            <translation>この操作は元に戻せません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="150"></location>
            <source>Result</source>
            <translation>結果</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="189"></location>
            <source>Memory image</source>
            <translation>メモリイメージ</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="196"></location>
            <source>deleted</source>
            <translation>削除</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="198"></location>
            <source>stays</source>
            <translation>保持</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="221"></location>
            <source>Disks to delete: %n, on %1, freeing about %2.</source>
            <translation>
                <numerusform>削除するディスク: %n 個 (%1 上)。約 %2 が解放されます。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="225"></location>
            <source>Deletes on the same SR run one after another, as each one starts a merge of the disk chain there.</source>
            <translation>同じ SR 上の削除は、それぞれがその SR のディスクチェーンの結合を開始するため、1 つずつ順に実行されます。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="230"></location>
            <source>Disks that stay: %n, taking %1.</source>
            <translation>
                <numerusform>残るディスク: %n 個 (%1 を使用)。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="249"></location>
            <source>Waiting…</source>
            <translation>待機中…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="257"></location>
            <source>&amp;Stop</source>
            <translation>停止(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="258"></location>
            <source>Finish the deletes under way and start no more</source>
            <translation>実行中の削除を完了させ、以降の削除は開始しません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="260"></location>
            <source>Deleting snapshots…</source>
            <translation>スナップショットを削除しています…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="277"></location>
            <source>Deleting snapshots failed</source>
            <translation>スナップショットの削除に失敗しました</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="287"></location>
            <source>Stopping…</source>
            <translation>停止しています…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="301"></location>
            <source>Deleted, freeing %1</source>
            <translation>削除済み (%1 を解放)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="303"></location>
            <source>Deleted (its disks stay)</source>
            <translation>削除済み (ディスクは残ります)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="307"></location>
            <source>Not deleted: stopped before its turn</source>
            <translation>未削除: 順番が来る前に停止されました</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="314"></location>
            <source>Not deleted: %1</source>
            <translation>未削除: %1</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="327"></location>
            <source>Snapshots deleted: %n of %1</source>
            <translation>
                <numerusform>%1 個中 %n 個のスナップショットを削除しました</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="333"></location>
            <source>About %1 will be freed once the storage has merged the chains.</source>
            <translation>ストレージがチェーンを結合した後に、約 %1 が解放されます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="339"></location>
            <source>“%1” was not deleted.</source>
            <translation>「%1」は削除されませんでした。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/operations/delete_dialog.py" line="344"></location>
            <source>Not started, as you stopped: %n.</source>
            <translation>
                <numerusform>停止したため開始されなかったスナップショット: %n 個。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="63"></location>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="140"></location>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="168"></location>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="201"></location>
            <source>Export as XVA</source>
            <translation>XVA としてエクスポート</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="64"></location>
            <source>Export “%1” as an XVA file</source>
            <translation>「%1」を XVA ファイルとしてエクスポート</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="65"></location>
            <source>&amp;Export</source>
            <translation>エクスポート(&amp;E)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="79"></location>
            <source>&amp;Browse…</source>
            <translation>参照(&amp;B)…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="82"></location>
            <source>&amp;File:</source>
            <translation>ファイル(&amp;F):</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="95"></location>
            <source>Estimated size: %1 to %2. Blocks the disks never wrote are left out, so the file is usually near the smaller figure.</source>
            <translation>推定サイズ: %1 ～ %2。ディスクに一度も書き込まれていないブロックは除外されるため、ファイルは通常、小さいほうの値に近くなります。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="101"></location>
            <source>Every chunk's checksum is checked as it arrives. The file appears under its name only when the whole export has checked out; nothing is left behind if it is cancelled or fails.</source>
            <translation>各チャンクのチェックサムは受信時に検証されます。エクスポート全体の検証が完了したときにのみ、ファイルがその名前で作成されます。キャンセルまたは失敗した場合、ファイルは何も残りません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="142"></location>
            <source>XVA files (*.xva)</source>
            <translation>XVA ファイル (*.xva)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="169"></location>
            <source>“%1” already exists. Replace it?</source>
            <translation>「%1」は既に存在します。置き換えますか？</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="173"></location>
            <source>The old file is kept until the new export has been downloaded and verified completely.</source>
            <translation>新しいエクスポートのダウンロードと検証がすべて完了するまで、既存のファイルは保持されます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="194"></location>
            <source>Starting the export…</source>
            <translation>エクスポートを開始しています…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="211"></location>
            <source>%1 received</source>
            <translation>%1 受信済み</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="213"></location>
            <source>%1/s</source>
            <translation>%1/s</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="216"></location>
            <source>about %1 left</source>
            <translation>残り約 %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="224"></location>
            <source>Export finished</source>
            <translation>エクスポートが完了しました</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="226"></location>
            <source>Saved %1 to “%2”; %3 chunks verified.</source>
            <translation>%1 を「%2」に保存しました。%3 個のチャンクを検証済みです。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="232"></location>
            <source>Close</source>
            <translation>閉じる</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/export_dialog.py" line="247"></location>
            <source>Cancelling; the partial file is being removed…</source>
            <translation>キャンセルしています。書きかけのファイルを削除しています…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="122"></location>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="133"></location>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="145"></location>
            <source>select a VM first</source>
            <translation>先に VM を選択してください</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="124"></location>
            <source>not connected to the pool</source>
            <translation>プールに接続されていません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="135"></location>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="149"></location>
            <source>the pool does not allow this for %1 now</source>
            <translation>現在、プールは %1 に対してこの操作を許可していません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="147"></location>
            <source>memory snapshots need the VM running or paused</source>
            <translation>メモリを含んだスナップショットには、VM が実行中または一時中断である必要があります</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="159"></location>
            <source>select one snapshot</source>
            <translation>スナップショットを 1 つ選択してください</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="161"></location>
            <source>the pool does not allow this for the snapshot now</source>
            <translation>現在、プールはこのスナップショットに対してこの操作を許可していません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="171"></location>
            <source>select one or more snapshots</source>
            <translation>スナップショットを 1 つ以上選択してください</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="173"></location>
            <source>the pool does not allow deleting every selected snapshot now</source>
            <translation>選択したスナップショットの一部は、現在プールで削除が許可されていません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="232"></location>
            <location filename="../../xsnap_gui/ui/operations/take_snapshot_dialog.py" line="74"></location>
            <location filename="../../xsnap_gui/ui/operations/take_snapshot_dialog.py" line="77"></location>
            <source>Take Snapshot</source>
            <translation>スナップショットの作成</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="263"></location>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="272"></location>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="35"></location>
            <source>Revert to Snapshot</source>
            <translation>スナップショットに復元</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="274"></location>
            <source>%1 was reverted to “%2” and is suspended, holding the memory the snapshot saved.</source>
            <translation>%1 は「%2」に復元され、スナップショットに保存されたメモリを保持した状態で一時停止しています。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="281"></location>
            <source>Resume it now to carry on exactly where it was?</source>
            <translation>今すぐ再開して、スナップショット作成時の状態からそのまま続行しますか？</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="283"></location>
            <source>&amp;Resume Now</source>
            <translation>今すぐ再開(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="285"></location>
            <source>&amp;Leave Suspended</source>
            <translation>一時停止のままにする(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="335"></location>
            <location filename="../../xsnap_gui/ui/operations/template_dialog.py" line="32"></location>
            <source>New Template from Snapshot</source>
            <translation>スナップショットから新規テンプレート</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="365"></location>
            <location filename="../../xsnap_gui/ui/operations/new_vm_dialog.py" line="23"></location>
            <source>New VM from Snapshot</source>
            <translation>スナップショットから新規 VM</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/install.py" line="380"></location>
            <location filename="../../xsnap_gui/ui/operations/properties_dialog.py" line="28"></location>
            <source>Properties</source>
            <translation>プロパティ</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/new_vm_dialog.py" line="24"></location>
            <source>New VM from “%1”</source>
            <translation>「%1」から新規 VM</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/new_vm_dialog.py" line="25"></location>
            <source>Create &amp;VM</source>
            <translation>VM の作成(&amp;V)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/new_vm_dialog.py" line="28"></location>
            <source>%1 from “%2”</source>
            <translation>%1 (「%2」から)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/copy_options.py" line="155"></location>
            <location filename="../../xsnap_gui/ui/operations/properties_dialog.py" line="39"></location>
            <location filename="../../xsnap_gui/ui/operations/take_snapshot_dialog.py" line="85"></location>
            <source>&amp;Name:</source>
            <translation>名前(&amp;N):</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/new_vm_dialog.py" line="34"></location>
            <source>&amp;Resume it afterwards, with the snapshot's memory</source>
            <translation>作成後、スナップショットのメモリで再開(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/new_vm_dialog.py" line="36"></location>
            <source>&amp;Start it afterwards</source>
            <translation>作成後に起動(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/new_vm_dialog.py" line="40"></location>
            <source>on any host (the pool chooses)</source>
            <translation>任意のホストで (プールが選択)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/new_vm_dialog.py" line="45"></location>
            <source>on %1</source>
            <translation>%1 で</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/new_vm_dialog.py" line="56"></location>
            <source>A host you choose must have the memory free; if it has not, creating the VM still succeeds and the start is reported as failed.</source>
            <translation>選択したホストには空きメモリが必要です。空きメモリが足りない場合も VM の作成は成功しますが、起動は失敗として報告されます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/properties_dialog.py" line="29"></location>
            <source>Properties of “%1”</source>
            <translation>「%1」のプロパティ</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/properties_dialog.py" line="32"></location>
            <source>&amp;Save</source>
            <translation>保存(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/properties_dialog.py" line="45"></location>
            <location filename="../../xsnap_gui/ui/operations/take_snapshot_dialog.py" line="93"></location>
            <source>&amp;Description:</source>
            <translation>説明(&amp;D):</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/properties_dialog.py" line="49"></location>
            <source>Comma-separated, e.g. production, before-patch</source>
            <translation>カンマ区切り (例: production, before-patch)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/properties_dialog.py" line="54"></location>
            <source>&amp;Tags:</source>
            <translation>タグ(&amp;T):</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="30"></location>
            <source>the VM</source>
            <translation>VM</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="36"></location>
            <source>Revert %1 to “%2”?</source>
            <translation>%1 を「%2」に復元しますか？</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="39"></location>
            <source>&amp;Revert</source>
            <translation>復元(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="50"></location>
            <source>&amp;Take a snapshot of the current state first</source>
            <translation>先に現在の状態のスナップショットを作成(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="60"></location>
            <source>Before reverting to “%1”</source>
            <translation>「%1」への復元前</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="65"></location>
            <source>Name:</source>
            <translation>名前:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="66"></location>
            <source>Include the &amp;memory</source>
            <translation>メモリを含める(&amp;M)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="80"></location>
            <source>Only a running or paused VM has memory to save.</source>
            <translation>メモリを保存できるのは、実行中または一時中断の VM だけです。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="90"></location>
            <source>The VM of this snapshot no longer exists: the revert creates it again from the snapshot.</source>
            <translation>このスナップショットの VM はもう存在しません。復元すると、スナップショットから VM が再作成されます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="100"></location>
            <source>everything written to its disks since “%1” was taken (%2)</source>
            <translation>「%1」の作成 (%2) 以降にディスクに書き込まれたすべてのデータ</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="105"></location>
            <source>every change to its disks that no snapshot holds</source>
            <translation>どのスナップショットにも保持されていない、ディスクへのすべての変更</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="108"></location>
            <source>what is in its memory: the VM is switched off at once, without a clean shutdown</source>
            <translation>メモリの内容: VM は正常にシャットダウンされずに、直ちに電源が切られます</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="112"></location>
            <source>the memory it was suspended with</source>
            <translation>一時停止したときのメモリ</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="117"></location>
            <source>Afterwards the VM is suspended with the memory the snapshot saved; you can resume it then.</source>
            <translation>復元後、VM はスナップショットに保存されたメモリを保持した状態で一時停止します。その後、再開できます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="123"></location>
            <source>Afterwards the VM is started again, as it was running when the snapshot was taken.</source>
            <translation>スナップショット作成時に VM は実行中だったため、復元後に VM は再び起動されます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="127"></location>
            <source>Afterwards the VM stays halted, as it was when the snapshot was taken.</source>
            <translation>スナップショット作成時と同様に、復元後も VM は停止したままです。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="132"></location>
            <source>The snapshot was taken %1.</source>
            <translation>このスナップショットは %1 に作成されました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="134"></location>
            <source>The current state of %1 will be lost:</source>
            <translation>%1 の現在の状態のうち、次の内容が失われます:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="142"></location>
            <source>There is no VM to take a snapshot of.</source>
            <translation>スナップショットを作成する VM がありません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="148"></location>
            <source>The pool does not allow a snapshot of this VM now.</source>
            <translation>現在、プールはこの VM のスナップショット作成を許可していません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="177"></location>
            <source>This snapshot cannot be taken (see the checks below). Untick it to revert without one.</source>
            <translation>このスナップショットは作成できません (下のチェックを参照)。スナップショットを作成せずに復元するには、チェックを外してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/revert_dialog.py" line="180"></location>
            <source>Keeps what you would lose as a snapshot of its own, so the revert can be undone by reverting to it.</source>
            <translation>失われる内容を個別のスナップショットとして保持します。そのスナップショットに復元すれば、今回の復元を取り消せます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/take_snapshot_dialog.py" line="43"></location>
            <source>%1 %2</source>
            <comment>snapshot name: VM name, date</comment>
            <translation>%1 %2</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/take_snapshot_dialog.py" line="53"></location>
            <source>Memory snapshots need the VM running or paused; it is %1.</source>
            <translation>メモリを含んだスナップショットには、VM が実行中または一時中断である必要があります (現在の状態: %1)。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/take_snapshot_dialog.py" line="57"></location>
            <source>Memory snapshots (checkpoints) are not licensed on this pool.</source>
            <translation>このプールでは、メモリを含んだスナップショットはライセンスされていません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/take_snapshot_dialog.py" line="60"></location>
            <source>The pool does not allow a memory snapshot of this VM now (another operation may be running, or the VM cannot be suspended).</source>
            <translation>現在、プールはこの VM のメモリを含んだスナップショットを許可していません (別の操作が実行中であるか、VM を一時停止できない可能性があります)。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/take_snapshot_dialog.py" line="64"></location>
            <location filename="../../xsnap_gui/ui/operations/take_snapshot_dialog.py" line="127"></location>
            <source>The VM is no longer in the pool.</source>
            <translation>この VM はもうプールに存在しません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/take_snapshot_dialog.py" line="75"></location>
            <source>Take a snapshot of %1</source>
            <translation>%1 のスナップショットを作成</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/take_snapshot_dialog.py" line="88"></location>
            <source>Why this snapshot (optional)</source>
            <translation>このスナップショットの目的 (任意)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/take_snapshot_dialog.py" line="96"></location>
            <source>Snapshot mode</source>
            <translation>スナップショットのモード</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/take_snapshot_dialog.py" line="99"></location>
            <source>&amp;Disks only</source>
            <translation>ディスクのみ(&amp;D)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/take_snapshot_dialog.py" line="103"></location>
            <source>Disks and &amp;memory</source>
            <translation>ディスクとメモリ(&amp;M)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/take_snapshot_dialog.py" line="129"></location>
            <source>The pool does not allow a snapshot of this VM now (another operation may be running on it).</source>
            <translation>現在、プールはこの VM のスナップショット作成を許可していません (別の操作が実行中の可能性があります)。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/take_snapshot_dialog.py" line="147"></location>
            <source>Saves the disks as they are now, while the VM keeps running. Reverting to it is like restarting the VM after a power cut.</source>
            <translation>VM の実行を継続したまま、ディスクを現在の状態で保存します。このスナップショットに復元すると、停電後に VM を再起動したときと同じ状態になります。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/take_snapshot_dialog.py" line="153"></location>
            <source>Saves the disks as they are now.</source>
            <translation>ディスクを現在の状態で保存します。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/take_snapshot_dialog.py" line="159"></location>
            <source>Also saves the memory: reverting brings the VM back exactly where it was. The VM is paused while its memory is saved.</source>
            <translation>メモリも保存します。復元すると、VM はスナップショット作成時の状態にそのまま戻ります。メモリの保存中、VM は一時中断されます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/template_dialog.py" line="33"></location>
            <source>New template from “%1”</source>
            <translation>「%1」から新規テンプレート</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/template_dialog.py" line="34"></location>
            <source>Create &amp;Template</source>
            <translation>テンプレートの作成(&amp;T)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/template_dialog.py" line="37"></location>
            <source>Template from snapshot '%1'</source>
            <translation>スナップショット「%1」からのテンプレート</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/template_dialog.py" line="42"></location>
            <source>Created from snapshot “%1”</source>
            <translation>スナップショット「%1」から作成</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/template_dialog.py" line="45"></location>
            <source>Created from snapshot “%1” of %2</source>
            <translation>%2 のスナップショット「%1」から作成</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/template_dialog.py" line="57"></location>
            <source>Templates of %1</source>
            <translation>%1 のテンプレート</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/template_dialog.py" line="62"></location>
            <source>“%1” is now among the pool's templates:</source>
            <translation>「%1」がプールのテンプレートに追加されました:</translation>
        </message>
    </context>
    <context>
        <name>OperationErrors</name>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="32"></location>
            <source>Taking the snapshot failed.</source>
            <translation>スナップショットの作成に失敗しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="33"></location>
            <source>Taking the snapshot with memory failed.</source>
            <translation>メモリを含んだスナップショットの作成に失敗しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="36"></location>
            <source>Setting the description failed.</source>
            <translation>説明の設定に失敗しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="37"></location>
            <source>Reverting to the snapshot failed.</source>
            <translation>スナップショットへの復元に失敗しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="38"></location>
            <source>Starting the VM failed.</source>
            <translation>VM の起動に失敗しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="39"></location>
            <source>Resuming the VM failed.</source>
            <translation>VM の再開に失敗しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="40"></location>
            <source>Cloning the snapshot failed.</source>
            <translation>スナップショットのクローンに失敗しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="41"></location>
            <source>Copying the snapshot failed.</source>
            <translation>スナップショットのコピーに失敗しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="42"></location>
            <source>Provisioning the new VM failed.</source>
            <translation>新しい VM のプロビジョニングに失敗しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="43"></location>
            <source>Turning the copy into a VM failed.</source>
            <translation>コピーを VM に変換できませんでした。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="44"></location>
            <source>Deleting a disk failed.</source>
            <translation>ディスクの削除に失敗しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="45"></location>
            <source>Deleting the snapshot record failed.</source>
            <translation>スナップショットのレコードの削除に失敗しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="48"></location>
            <source>The export failed.</source>
            <translation>エクスポートに失敗しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="49"></location>
            <source>Renaming failed.</source>
            <translation>名前の変更に失敗しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="50"></location>
            <source>Adding a tag failed.</source>
            <translation>タグの追加に失敗しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="51"></location>
            <source>Removing a tag failed.</source>
            <translation>タグの削除に失敗しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="55"></location>
            <source>Snapshot “%1” was taken.</source>
            <translation>スナップショット「%1」を作成しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="56"></location>
            <source>Snapshot “%1” (with memory) was taken.</source>
            <translation>メモリを含んだスナップショット「%1」を作成しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="57"></location>
            <source>The description was set.</source>
            <translation>説明を設定しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="58"></location>
            <source>The VM was reverted to the snapshot.</source>
            <translation>VM をスナップショットに復元しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="59"></location>
            <source>The VM was started.</source>
            <translation>VM を起動しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="60"></location>
            <source>The VM was resumed.</source>
            <translation>VM を再開しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="61"></location>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="62"></location>
            <source>“%1” was created (as a template).</source>
            <translation>「%1」をテンプレートとして作成しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="63"></location>
            <source>It was provisioned as a VM.</source>
            <translation>VM としてプロビジョニングしました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="64"></location>
            <source>It was made a VM.</source>
            <translation>VM に変換しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="65"></location>
            <source>Disk “%1” was deleted.</source>
            <translation>ディスク「%1」を削除しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="66"></location>
            <source>The snapshot record was deleted.</source>
            <translation>スナップショットのレコードを削除しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="67"></location>
            <source>The file was written.</source>
            <translation>ファイルを書き込みました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="68"></location>
            <source>The name was changed to “%1”.</source>
            <translation>名前を「%1」に変更しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="69"></location>
            <source>Tag “%1” was added.</source>
            <translation>タグ「%1」を追加しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="70"></location>
            <source>Tag “%1” was removed.</source>
            <translation>タグ「%1」を削除しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="74"></location>
            <source>Free space on the storage repository: delete snapshots you no longer need (space returns once the storage has coalesced), move disks to another SR, or choose another SR.</source>
            <translation>ストレージリポジトリの空き容量を確保してください。不要になったスナップショットを削除する (容量はストレージの結合後に戻ります)、ディスクを別の SR に移動する、または別の SR を選択する方法があります。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="78"></location>
            <source>The SR ran out of space. Delete snapshots you no longer need, wait for the storage to coalesce, and try again.</source>
            <translation>SR の空き容量が不足しました。不要になったスナップショットを削除し、ストレージの結合 (coalesce) が完了するのを待ってから、再試行してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="81"></location>
            <source>The snapshot chain is too long. Delete some of this VM's snapshots and wait for the storage to coalesce before taking another.</source>
            <translation>スナップショットチェーンが長すぎます。この VM のスナップショットをいくつか削除し、ストレージの結合 (coalesce) が完了するのを待ってから、次のスナップショットを作成してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="84"></location>
            <source>The VM is not in a power state that allows this. Change its power state, or wait for the operation that is changing it, then try again.</source>
            <translation>VM の電源状態がこの操作を許可していません。電源状態を変更するか、電源状態を変更中の操作が完了するのを待ってから、再試行してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="87"></location>
            <source>Another operation is running on this object. Wait for it to finish (see the Tasks panel), then try again.</source>
            <translation>このオブジェクトで別の操作が実行中です。その操作が完了するのを待ってから (タスクパネルを参照)、再試行してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="90"></location>
            <source>The pool does not allow this operation on this object now. Check its power state and the operations running on it.</source>
            <translation>現在、プールはこのオブジェクトに対するこの操作を許可していません。電源状態と、実行中の操作を確認してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="93"></location>
            <source>An administrator has blocked this operation on the VM (blocked_operations). Ask them to unblock it.</source>
            <translation>管理者がこの VM に対するこの操作をブロックしています (blocked_operations)。ブロックの解除を依頼してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="96"></location>
            <source>The session has expired. The application reconnects by itself; try again once the pool shows as connected.</source>
            <translation>セッションの有効期限が切れました。アプリケーションは自動的に再接続します。プールが接続済みと表示されてから、再試行してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="99"></location>
            <source>The object no longer exists: it may have been deleted elsewhere. The view updates by itself.</source>
            <translation>このオブジェクトはもう存在しません。別の場所で削除された可能性があります。表示は自動的に更新されます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="102"></location>
            <source>The task was cancelled, from the Tasks panel or by another client.</source>
            <translation>タスクは、タスクパネルまたは別のクライアントからキャンセルされました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="104"></location>
            <source>Start the VM on another host, or free memory on this one by shutting down or moving other VMs.</source>
            <translation>別のホストで VM を起動するか、このホスト上の他の VM をシャットダウンまたは移動してメモリを解放してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="107"></location>
            <source>The VM could not be suspended to save its memory. Take a disk-only snapshot instead, or check the VM's guest tools.</source>
            <translation>メモリを保存するために VM を一時停止できませんでした。代わりにディスクのみのスナップショットを作成するか、VM のゲストツールを確認してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="110"></location>
            <source>The snapshot was taken but the VM could not be resumed afterwards. Resume or start it from its host.</source>
            <translation>スナップショットは作成されましたが、その後 VM を再開できませんでした。VM のホストから再開または起動してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="113"></location>
            <source>The revert failed and xapi left the VM halted. Check the storage, then revert again or start the VM as it is.</source>
            <translation>復元に失敗し、xapi により VM は停止状態になりました。ストレージを確認してから、もう一度復元するか、VM をそのまま起動してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="116"></location>
            <source>This feature is not licensed on this pool.</source>
            <translation>この機能は、このプールではライセンスされていません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="118"></location>
            <source>The disk is in use by a running VM. Shut it down or detach the disk.</source>
            <translation>ディスクは実行中の VM で使用されています。その VM をシャットダウンするか、ディスクを切断してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="120"></location>
            <source>Set a suspend SR for the pool or the VM's host, or take a disk-only snapshot.</source>
            <translation>プールまたは VM のホストに一時停止イメージ用の SR を設定するか、ディスクのみのスナップショットを作成してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="148"></location>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="269"></location>
            <source>XAPI error: %1</source>
            <translation>XAPI エラー: %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="151"></location>
            <source>Already done: %1</source>
            <translation>実行済みの処理: %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="169"></location>
            <source>Your role does not allow this. Ask a pool administrator for a role that does, or connect as another user.</source>
            <translation>お使いのロールでは、この操作は許可されていません。プール管理者に、この操作が許可されたロールを依頼するか、別のユーザーとして接続してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="174"></location>
            <source>Roles allowed: %1.</source>
            <translation>許可されているロール: %1。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="187"></location>
            <source>The storage backend reported a failure. Check the SR's health on the host, then try again.</source>
            <translation>ストレージバックエンドがエラーを報告しました。ホストで SR の状態を確認してから、再試行してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="190"></location>
            <source>Try again. If it keeps failing, the XAPI code and parameters below tell your administrator (or a bug report) exactly what the pool said.</source>
            <translation>再試行してください。失敗が続く場合は、下の XAPI コードとパラメーターを管理者に伝える (またはバグ報告に含める) と、プールが返した内容を正確に把握できます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="194"></location>
            <source>Check the network connection to the pool. The application reconnects by itself; try again once the pool shows as connected.</source>
            <translation>プールへのネットワーク接続を確認してください。アプリケーションは自動的に再接続します。プールが接続済みと表示されてから、再試行してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="198"></location>
            <source>The export stream was damaged on its way. No file was kept. Try again.</source>
            <translation>エクスポートのデータストリームが転送中に破損しました。ファイルは保存されていません。再試行してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="202"></location>
            <source>Choose another file name, or agree to replace the file.</source>
            <translation>別のファイル名を選択するか、ファイルの置き換えに同意してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="205"></location>
            <source>The local disk is full. No file was kept. Free space or choose another folder.</source>
            <translation>ローカルディスクがいっぱいです。ファイルは保存されていません。空き容量を確保するか、別のフォルダーを選択してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="209"></location>
            <source>Check that the folder exists and that you may write to it.</source>
            <translation>フォルダーが存在し、書き込み権限があることを確認してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="216"></location>
            <source>The task was cancelled.</source>
            <translation>タスクはキャンセルされました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="236"></location>
            <source>Nothing was undone.</source>
            <translation>これらの処理は元に戻されていません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="238"></location>
            <source>The VM is now %1.</source>
            <translation>VM の現在の状態は %1 です。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="241"></location>
            <source>The operation failed.</source>
            <translation>操作に失敗しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/errors.py" line="264"></location>
            <source>What you can do:</source>
            <translation>対処方法:</translation>
        </message>
    </context>
    <context>
        <name>PasswordDialog</name>
        <message>
            <location filename="../../xsnap_gui/ui/connections/password_dialog.py" line="43"></location>
            <source>Password</source>
            <translation>パスワード</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/password_dialog.py" line="44"></location>
            <source>Enter the password of %1 on %2.</source>
            <translation>%2 のユーザー %1 のパスワードを入力してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/password_dialog.py" line="57"></location>
            <source>Remember password in the keyring</source>
            <translation>キーリングにパスワードを保存する</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/password_dialog.py" line="67"></location>
            <source>Password:</source>
            <translation>パスワード:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/password_dialog.py" line="71"></location>
            <source>Connect</source>
            <translation>接続</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/connections/password_dialog.py" line="74"></location>
            <source>Cancel</source>
            <translation>キャンセル</translation>
        </message>
    </context>
    <context>
        <name>PoolTreeModel</name>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="307"></location>
            <source>Name</source>
            <translation>名前</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="345"></location>
            <source>%1 — failed: %2</source>
            <translation>%1 — 接続失敗: %2</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="347"></location>
            <source>%1 — %2</source>
            <translation>%1 — %2</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="366"></location>
            <source>connected</source>
            <translation>接続済み</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="368"></location>
            <source>connecting…</source>
            <translation>接続中…</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="370"></location>
            <source>reconnecting, attempt %n</source>
            <translation>
                <numerusform>再接続中 (%n 回目)</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="372"></location>
            <source>failed</source>
            <translation>接続失敗</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="373"></location>
            <source>disconnected</source>
            <translation>切断</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="392"></location>
            <source>%n host(s)</source>
            <translation>
                <numerusform>%n 台のホスト</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="393"></location>
            <source>%n VM(s)</source>
            <translation>
                <numerusform>%n 台の VM</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="403"></location>
            <source>Pool</source>
            <translation>プール</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="419"></location>
            <source>Pool coordinator</source>
            <translation>プールコーディネーター</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="421"></location>
            <source>Disabled (maintenance mode)</source>
            <translation>無効 (メンテナンスモード)</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="422"></location>
            <source>%n running VM(s)</source>
            <translation>
                <numerusform>%n 台の VM が実行中</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="435"></location>
            <source>%1 (%2)</source>
            <translation>%1 (%2)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="459"></location>
            <source>%1 on %2</source>
            <translation>%1 (ホスト: %2)</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="461"></location>
            <source>%n snapshot(s)</source>
            <translation>
                <numerusform>%n 個のスナップショット</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="468"></location>
            <source>Running</source>
            <translation>実行中</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="469"></location>
            <source>Halted</source>
            <translation>停止</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="470"></location>
            <source>Suspended</source>
            <translation>一時停止</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="471"></location>
            <source>Paused</source>
            <translation>一時中断</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="473"></location>
            <source>Unknown state</source>
            <translation>不明な状態</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="501"></location>
            <source>Its snapshot chain is %1 deep; XenServer refuses new snapshots beyond %2. Delete old snapshots to make room.</source>
            <translation>スナップショットチェーンの深さが %1 です。XenServer では深さが %2 を超えるとスナップショットを作成できません。古いスナップショットを削除して余裕を確保してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="520"></location>
            <source>Schedule “%1” missed its last run (%2).</source>
            <translation>スケジュール「%1」の前回の実行 (%2) が行われませんでした。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="528"></location>
            <source>unknown error</source>
            <translation>不明なエラー</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="529"></location>
            <source>Schedule “%1” failed to snapshot it (%2): %3</source>
            <translation>スケジュール「%1」によるこの VM のスナップショット作成に失敗しました (%2): %3</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/pool_tree.py" line="531"></location>
            <source>Schedule “%1” failed on its last run (%2).</source>
            <translation>スケジュール「%1」の前回の実行 (%2) が失敗しました。</translation>
        </message>
    </context>
    <context>
        <name>Preflight</name>
        <message>
            <location filename="../../xsnap_gui/ui/operations/findings.py" line="24"></location>
            <source>%1 s</source>
            <translation>%1 秒</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/findings.py" line="26"></location>
            <source>%1 min</source>
            <translation>%1 分</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/findings.py" line="27"></location>
            <source>%1 h</source>
            <translation>%1 時間</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/findings.py" line="38"></location>
            <source>Not enough space on SR “%1”: this needs %2, only %3 is free.</source>
            <translation>SR「%1」の空き容量が不足しています。%2 必要ですが、空きは %3 しかありません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/findings.py" line="43"></location>
            <source>SR “%1” would be %2 % full afterwards (this needs %3 of its %4 free).</source>
            <translation>実行後、SR「%1」の使用率は %2% になります (空き容量 %4 のうち %3 を使用)。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/findings.py" line="48"></location>
            <source>There is no SR for the memory image: set a suspend SR for the pool or for the VM's host, or take a disk-only snapshot.</source>
            <translation>メモリイメージ用の SR がありません。プールまたは VM のホストに一時停止イメージ用の SR を設定するか、ディスクのみのスナップショットを作成してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/findings.py" line="53"></location>
            <source>The snapshot chain would be %1 deep; xapi refuses chains longer than %2 (SR_BACKEND_FAILURE_109). Delete older snapshots first.</source>
            <translation>スナップショットチェーンの深さが %1 になります。xapi は深さが %2 を超えるチェーンを拒否します (SR_BACKEND_FAILURE_109)。先に古いスナップショットを削除してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/findings.py" line="57"></location>
            <source>The snapshot chain would be %1 deep, close to xapi's limit of %2. Consider deleting older snapshots.</source>
            <translation>スナップショットチェーンの深さが %1 になり、xapi の上限 %2 に近づきます。古いスナップショットの削除を検討してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/findings.py" line="62"></location>
            <source>The VM stops running while its %1 of memory is saved and read back: about %2.</source>
            <translation>%1 のメモリを保存して読み戻す間 (約 %2)、VM の実行が停止します。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/findings.py" line="67"></location>
            <source>SR “%1” has %2 free. Merging a %3 disk after the delete (coalescing) may be slow or wait until space is freed.</source>
            <translation>SR「%1」の空き容量は %2 です。削除後の %3 のディスクの結合 (coalesce) は、時間がかかるか、空き容量が確保されるまで待機する可能性があります。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/findings.py" line="73"></location>
            <source>The export needs at least %1, but only %2 is free in “%3”.</source>
            <translation>エクスポートには少なくとも %1 必要ですが、「%3」の空き容量は %2 しかありません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/findings.py" line="77"></location>
            <source>The export may need up to %1, but only %2 is free in “%3”. It is usually smaller, as empty blocks are skipped.</source>
            <translation>エクスポートには最大 %1 必要になる可能性がありますが、「%3」の空き容量は %2 しかありません。空のブロックはスキップされるため、通常はこれより小さくなります。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/operations/findings.py" line="91"></location>
            <source>Pre-flight checks found nothing in the way.</source>
            <translation>実行前のチェックで問題は見つかりませんでした。</translation>
        </message>
    </context>
    <context>
        <name>Schedules</name>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="215"></location>
            <source>Hourly at %1 minutes past</source>
            <translation>毎時 %1 分</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="217"></location>
            <source>Daily at %1</source>
            <translation>毎日 %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="221"></location>
            <source>Weekly on %1 at %2</source>
            <translation>毎週 %1 の %2</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="227"></location>
            <source>Disks and memory</source>
            <translation>ディスクとメモリ</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="229"></location>
            <source>Quiesced disks (no longer supported)</source>
            <translation>静止状態のディスク (サポート終了)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="230"></location>
            <source>Disks only</source>
            <translation>ディスクのみ</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="248"></location>
            <source>no reason given</source>
            <translation>理由の記載なし</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="250"></location>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="367"></location>
            <source>%1: %2</source>
            <translation>%1: %2</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="256"></location>
            <source>Not yet run</source>
            <translation>未実行</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="258"></location>
            <source>Succeeded</source>
            <translation>成功</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="260"></location>
            <source>Missed</source>
            <translation>スキップ</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="263"></location>
            <source>Failed, %n VM(s)</source>
            <translation>
                <numerusform>失敗 (%n 台の VM)</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="264"></location>
            <source>Failed</source>
            <translation>失敗</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="271"></location>
            <source>Failed: another scheduled snapshot was running in the pool</source>
            <translation>失敗: プール内で別のスケジュールされたスナップショットが実行中でした</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="273"></location>
            <source>Failed: the pool's licence does not allow snapshot schedules</source>
            <translation>失敗: プールのライセンスではスナップショットスケジュールを使用できません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="276"></location>
            <source>Failed: the schedule could not log in to the pool</source>
            <translation>失敗: スケジュールがプールにログインできませんでした</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="278"></location>
            <source>Missed: the previous run was still going</source>
            <translation>スキップ: 前回の実行がまだ続いていました</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="287"></location>
            <source>Enter a name for the schedule.</source>
            <translation>スケジュールの名前を入力してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="289"></location>
            <source>Another schedule of this pool already has this name. Choose another.</source>
            <translation>このプールの別のスケジュールで同じ名前が使われています。別の名前を指定してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="296"></location>
            <source>Quiesced snapshots are not available on this pool.</source>
            <translation>このプールでは静止スナップショットを使用できません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="297"></location>
            <source>The pool's licence does not include snapshot schedules.</source>
            <translation>プールのライセンスにスナップショットスケジュールが含まれていません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="300"></location>
            <source>Snapshots can only be scheduled on the quarter hour (0, 15, 30 or 45 minutes past); %1 is not one of them.</source>
            <translation>スナップショットは 15 分単位 (毎時 0、15、30、45 分) でのみスケジュールできます。%1 は指定できません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="308"></location>
            <source>The hour must be from 0 to 23; %1 is not.</source>
            <translation>「時」には 0～23 を指定してください。%1 は指定できません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="311"></location>
            <source>Choose at least one day of the week.</source>
            <translation>曜日を 1 つ以上選択してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="312"></location>
            <source>The days “%1” are not a list of different weekdays.</source>
            <translation>曜日「%1」は、重複のない曜日のリストではありません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="315"></location>
            <source>A %1 schedule cannot have “%2”.</source>
            <translation>頻度が %1 のスケジュールには「%2」を指定できません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="318"></location>
            <source>Keep from 1 to 10 snapshots per VM; the pool does not accept %1.</source>
            <translation>保持するスナップショット数は VM あたり 1～10 個です。%1 はプールで受け付けられません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="331"></location>
            <source>Create the schedule “%1”</source>
            <translation>スケジュール「%1」を作成</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="333"></location>
            <source>Create the schedule</source>
            <translation>スケジュールを作成</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="336"></location>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="522"></location>
            <source>Run “%1” now</source>
            <translation>「%1」を今すぐ実行</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="338"></location>
            <source>Delete “%1”</source>
            <translation>「%1」を削除</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="340"></location>
            <source>Add %1 to the schedule</source>
            <translation>%1 をスケジュールに追加</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="342"></location>
            <source>Take %1 out of the schedule</source>
            <translation>%1 をスケジュールから除外</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="345"></location>
            <source>the name</source>
            <translation>名前</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="346"></location>
            <source>the description</source>
            <translation>説明</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="347"></location>
            <source>the snapshot type</source>
            <translation>スナップショットの種類</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="348"></location>
            <source>how many are kept</source>
            <translation>保持するスナップショット数</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="349"></location>
            <source>the frequency</source>
            <translation>頻度</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="350"></location>
            <source>the time</source>
            <translation>時刻</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="351"></location>
            <source>enabled or disabled</source>
            <translation>有効/無効</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="353"></location>
            <source>Change %1 of %2</source>
            <translation>「%2」の%1を変更</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="361"></location>
            <source>Done:</source>
            <translation>完了:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="364"></location>
            <source>Failed:</source>
            <translation>失敗:</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="372"></location>
            <source>The run failed for %n VM(s):</source>
            <translation>
                <numerusform>%n 台の VM で実行に失敗しました:</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="382"></location>
            <source>Create snapshot schedule “%1”</source>
            <translation>スナップショットスケジュール「%1」を作成</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="384"></location>
            <source>Add %1 to snapshot schedule “%2”</source>
            <translation>%1 をスナップショットスケジュール「%2」に追加</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="386"></location>
            <source>Take %1 out of snapshot schedule “%2”</source>
            <translation>%1 をスナップショットスケジュール「%2」から除外</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="388"></location>
            <source>Run snapshot schedule “%1” now</source>
            <translation>スナップショットスケジュール「%1」を今すぐ実行</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="390"></location>
            <source>Delete snapshot schedule “%1”</source>
            <translation>スナップショットスケジュール「%1」を削除</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/common.py" line="391"></location>
            <source>Change snapshot schedule “%1”</source>
            <translation>スナップショットスケジュール「%1」を変更</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="178"></location>
            <source>The next run on your clock (%1)</source>
            <translation>ローカル時刻での次回の実行 (%1)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="181"></location>
            <source>The next run on the pool's clock (%1), which schedules are kept in</source>
            <translation>プールの時刻での次回の実行 (%1)。スケジュールはこの時刻で保存されます</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="185"></location>
            <source>The later of the schedule's last_run_time and its newest run message</source>
            <translation>スケジュールの last_run_time と最新の実行メッセージのうち、新しいほう</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="192"></location>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="127"></location>
            <source>Name</source>
            <translation>名前</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="193"></location>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="243"></location>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="1057"></location>
            <source>Enabled</source>
            <translation>有効</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="194"></location>
            <source>Frequency and time</source>
            <translation>頻度と時刻</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="195"></location>
            <source>VMs</source>
            <translation>VM</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="196"></location>
            <source>Next run (local)</source>
            <translation>次回の実行 (ローカル)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="197"></location>
            <source>Next run (pool)</source>
            <translation>次回の実行 (プール)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="198"></location>
            <source>Last run</source>
            <translation>前回の実行</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="199"></location>
            <source>Last result</source>
            <translation>前回の結果</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="200"></location>
            <source>Health</source>
            <translation>状態</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="243"></location>
            <source>Disabled</source>
            <translation>無効</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="245"></location>
            <source>%1 (working…)</source>
            <translation>%1 (処理中…)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="255"></location>
            <source>not scheduled</source>
            <translation>予定なし</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="257"></location>
            <source>no VMs</source>
            <translation>VM なし</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="262"></location>
            <source>never</source>
            <translation>未実行</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="298"></location>
            <source>VM Snapshot Schedules — %1</source>
            <translation>VM スナップショットスケジュール — %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="338"></location>
            <source>&amp;New…</source>
            <translation>新規(&amp;N)…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="339"></location>
            <source>&amp;Properties…</source>
            <translation>プロパティ(&amp;P)…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="340"></location>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="465"></location>
            <source>&amp;Enable</source>
            <translation>有効化(&amp;E)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="341"></location>
            <source>&amp;Run Now</source>
            <translation>今すぐ実行(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="342"></location>
            <source>&amp;Delete…</source>
            <translation>削除(&amp;D)…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="343"></location>
            <source>Close</source>
            <translation>閉じる</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="432"></location>
            <source>%n schedule(s) in pool “%1” (%2 of %3 VMs covered)</source>
            <translation>
                <numerusform>プール「%1」のスケジュール: %n 件 (%3 台中 %2 台の VM が対象)</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="436"></location>
            <source>The pool's licence does not include snapshot schedules: existing ones do not run.</source>
            <translation>プールのライセンスにスナップショットスケジュールが含まれていません。既存のスケジュールは実行されません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="453"></location>
            <source>Not connected to the pool</source>
            <translation>プールに接続されていません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="455"></location>
            <source>Your role does not allow this</source>
            <translation>現在のロールではこの操作を実行できません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="460"></location>
            <source>The pool's licence does not include snapshot schedules</source>
            <translation>プールのライセンスにスナップショットスケジュールが含まれていません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="462"></location>
            <source>Select one schedule</source>
            <translation>スケジュールを 1 つ選択してください</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="465"></location>
            <source>&amp;Disable</source>
            <translation>無効化(&amp;D)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="469"></location>
            <source>A schedule without VMs cannot be enabled</source>
            <translation>VM のないスケジュールは有効にできません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="470"></location>
            <source>Select a schedule</source>
            <translation>スケジュールを選択してください</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="474"></location>
            <source>Only an enabled schedule with VMs can run</source>
            <translation>実行できるのは、VM を含む有効なスケジュールのみです</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="476"></location>
            <source>Select the schedules to delete</source>
            <translation>削除するスケジュールを選択してください</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="491"></location>
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="167"></location>
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="188"></location>
            <source>Not connected</source>
            <translation>未接続</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="492"></location>
            <source>The pool is not connected; try again when it is.</source>
            <translation>プールが接続されていません。接続後にもう一度実行してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="507"></location>
            <source>Enable schedules</source>
            <translation>スケジュールを有効化</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="509"></location>
            <source>Disable schedules</source>
            <translation>スケジュールを無効化</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="531"></location>
            <source>Delete the snapshot schedule “%1”?</source>
            <translation>スナップショットスケジュール「%1」を削除しますか？</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="535"></location>
            <source>Delete %n snapshot schedules?</source>
            <translation>
                <numerusform>%n 件のスナップショットスケジュールを削除しますか？</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="544"></location>
            <source>It covers %n VM(s):</source>
            <translation>
                <numerusform>対象の VM (%n 台):</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="548"></location>
            <source>They are taken out of the schedule first. The VMs and their snapshots, scheduled ones included, are kept.</source>
            <translation>これらの VM は先にスケジュールから除外されます。VM とそのスナップショット (スケジュールされたスナップショットを含む) は保持されます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="560"></location>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="589"></location>
            <source>Delete snapshot schedules</source>
            <translation>スナップショットスケジュールの削除</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="566"></location>
            <source>&amp;Delete</source>
            <translation>削除(&amp;D)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="29"></location>
            <source>last run failed</source>
            <translation>前回の実行が失敗</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="31"></location>
            <source>last run missed</source>
            <translation>前回の実行をスキップ</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="33"></location>
            <source>overdue</source>
            <translation>実行の遅延</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="35"></location>
            <source>too many snapshots</source>
            <translation>スナップショット過多</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="37"></location>
            <source>chain near limit</source>
            <translation>チェーンが上限間近</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="39"></location>
            <source>enabled, no VMs</source>
            <translation>有効だが VM なし</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="47"></location>
            <source>…and %n more</source>
            <translation>
                <numerusform>…ほか %n 台</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="56"></location>
            <source>The last run (%1) failed.</source>
            <translation>前回の実行 (%1) は失敗しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="58"></location>
            <source>The last run failed.</source>
            <translation>前回の実行は失敗しました。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="62"></location>
            <source>No snapshot was taken of %n VM(s):</source>
            <translation>
                <numerusform>%n 台の VM のスナップショットが作成されませんでした:</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="65"></location>
            <source>See the run history for the reason.</source>
            <translation>原因は実行履歴を参照してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="68"></location>
            <source>The run due at %1 was missed: the previous run was still going. If this repeats, the schedule runs more often than its snapshots can be taken.</source>
            <translation>%1 に予定されていた実行は、前回の実行がまだ続いていたためスキップされました。これが繰り返される場合、スケジュールの実行頻度がスナップショットの作成に追いついていません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="77"></location>
            <source>The run due at %1 has not happened. The pool's scheduler may not be running, or the pool's clock may be wrong.</source>
            <translation>%1 に予定されていた実行が行われていません。プールのスケジューラーが動作していないか、プールの時計がずれている可能性があります。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="82"></location>
            <source>The schedule keeps %n snapshot(s) per VM, but some VMs hold more scheduled snapshots. The oldest are deleted at the next successful run; until then they use storage.</source>
            <translation>
                <numerusform>このスケジュールで保持するスナップショット数は VM あたり %n 個ですが、それより多くのスケジュールされたスナップショットを持つ VM があります。古いものは次回の実行が成功したときに削除されます。それまではストレージを使用します。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="97"></location>
            <source>%1: %2 scheduled snapshots</source>
            <translation>%1: スケジュールされたスナップショット %2 個</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="106"></location>
            <source>These VMs' snapshot chains are close to the pool's limit of %n; when it is reached, new snapshots fail. Delete or coalesce old snapshots.</source>
            <translation>
                <numerusform>これらの VM のスナップショットチェーンは、プールの上限 (%n) に近づいています。上限に達すると、新しいスナップショットの作成は失敗します。古いスナップショットを削除するか、結合 (coalesce) してください。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="114"></location>
            <source>%1: %2 deep</source>
            <translation>%1: 深さ %2</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="117"></location>
            <source>The schedule is enabled but has no VMs, so it takes no snapshots. Add VMs or disable it.</source>
            <translation>このスケジュールは有効ですが VM がないため、スナップショットは作成されません。VM を追加するか、スケジュールを無効にしてください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="129"></location>
            <source>OK</source>
            <translation>正常</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="130"></location>
            <source>, </source>
            <comment>between the problems of one schedule</comment>
            <translation>、</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/health.py" line="138"></location>
            <source>No problems found: the last run succeeded or none was due yet, and every VM is within its retention and chain limits.</source>
            <translation>問題は見つかりませんでした。前回の実行は成功したか、まだ実行予定の時刻になっていません。また、すべての VM が保持するスナップショット数とチェーンの上限内に収まっています。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/history.py" line="50"></location>
            <source>Last 10 runs</source>
            <translation>直近 10 回の実行</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/history.py" line="51"></location>
            <source>Last 24 hours</source>
            <translation>過去 24 時間</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/history.py" line="52"></location>
            <source>Last 7 days</source>
            <translation>過去 7 日間</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/history.py" line="56"></location>
            <source>Date and time</source>
            <translation>日時</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/history.py" line="56"></location>
            <source>Result</source>
            <translation>結果</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/history.py" line="105"></location>
            <source>&lt;b&gt;Run history&lt;/b&gt;</source>
            <translation>&lt;b&gt;実行履歴&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/history.py" line="106"></location>
            <source>Select a schedule to see its runs.</source>
            <translation>スケジュールを選択すると、その実行履歴が表示されます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/history.py" line="109"></location>
            <source>&lt;b&gt;Run history of “%1”&lt;/b&gt;</source>
            <translation>&lt;b&gt;「%1」の実行履歴&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/history.py" line="135"></location>
            <source>No runs in this period. The pool keeps the messages of recent runs only; dismissed alerts are gone from here too.</source>
            <translation>この期間の実行はありません。プールには最近の実行のメッセージしか保持されません。また、消去したアラートの分はここにも表示されません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="80"></location>
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="88"></location>
            <source>select a connected pool first</source>
            <translation>先に接続済みのプールを選択してください</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="82"></location>
            <source>the pool's licence does not include snapshot schedules</source>
            <translation>プールのライセンスにスナップショットスケジュールが含まれていません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="168"></location>
            <source>The pool is not connected; the schedule was not created.</source>
            <translation>プールが接続されていないため、スケジュールは作成されませんでした。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="181"></location>
            <source>Create “%1”</source>
            <translation>「%1」を作成</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="189"></location>
            <source>The pool is not connected; nothing was changed.</source>
            <translation>プールが接続されていないため、何も変更されませんでした。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="195"></location>
            <source>Change “%1”</source>
            <translation>「%1」を変更</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="219"></location>
            <source>Assign to “%1”</source>
            <translation>「%1」に割り当て</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="220"></location>
            <source>Take VMs out of their schedules</source>
            <translation>VM をスケジュールから除外</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="230"></location>
            <source>Move to another schedule?</source>
            <translation>別のスケジュールに移動しますか？</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="236"></location>
            <source>The VM “%1” is already in the snapshot schedule “%2”. Move it to “%3”?</source>
            <translation>VM「%1」はすでにスナップショットスケジュール「%2」に含まれています。「%3」に移動しますか？</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="241"></location>
            <source>%n VMs are already in other snapshot schedules. Move them to “%1”?</source>
            <translation>
                <numerusform>%n 台の VM がすでに他のスナップショットスケジュールに含まれています。「%1」に移動しますか？</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="244"></location>
            <location filename="../../xsnap_gui/ui/schedules/properties.py" line="134"></location>
            <location filename="../../xsnap_gui/ui/schedules/wizard.py" line="69"></location>
            <source>%1 (now in “%2”)</source>
            <translation>%1 (現在は「%2」)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="280"></location>
            <source>Assign to snapshot &amp;schedule</source>
            <translation>スナップショットスケジュールに割り当て(&amp;S)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="295"></location>
            <source>No schedules in this pool</source>
            <translation>このプールにはスケジュールがありません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="299"></location>
            <source>&amp;Remove from schedule</source>
            <translation>スケジュールから除外(&amp;R)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/install.py" line="304"></location>
            <source>&amp;New schedule…</source>
            <translation>新規スケジュール(&amp;N)…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/jobs.py" line="86"></location>
            <source>Not everything worked. The pool is now as listed below.</source>
            <translation>一部の操作が失敗しました。プールの現在の状態は以下のとおりです。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="128"></location>
            <source>What do you want to call this schedule?</source>
            <translation>このスケジュールにどのような名前を付けますか？</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="131"></location>
            <source>For example: Nightly web servers</source>
            <translation>例: 夜間の Web サーバー</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="137"></location>
            <source>Enabled: take snapshots on this schedule</source>
            <translation>有効: このスケジュールでスナップショットを作成する</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="143"></location>
            <source>&amp;Name:</source>
            <translation>名前(&amp;N):</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="144"></location>
            <source>&amp;Description:</source>
            <translation>説明(&amp;D):</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="200"></location>
            <source>Virtual machines</source>
            <translation>仮想マシン</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="201"></location>
            <source>Which VMs should this schedule take snapshots of?</source>
            <translation>このスケジュールでどの VM のスナップショットを作成しますか？</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="204"></location>
            <source>Search VMs…</source>
            <translation>VM を検索…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="207"></location>
            <source>VM</source>
            <translation>VM</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="207"></location>
            <source>Description</source>
            <translation>説明</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="209"></location>
            <source>Current schedule</source>
            <translation>現在のスケジュール</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="228"></location>
            <source>Select &amp;all</source>
            <translation>すべて選択(&amp;A)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="230"></location>
            <source>C&amp;lear</source>
            <translation>クリア(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="279"></location>
            <source>This VM is in another schedule. Selecting it here moves it to this one.</source>
            <translation>この VM は別のスケジュールに含まれています。ここで選択すると、このスケジュールに移動します。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="353"></location>
            <source>%n VM(s) selected</source>
            <translation>
                <numerusform>%n 台の VM を選択</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="357"></location>
            <source>No VMs selected: the schedule will be created disabled. Add VMs later in its properties.</source>
            <translation>VM が選択されていません。スケジュールは無効の状態で作成されます。VM は後でプロパティから追加できます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="361"></location>
            <source>No VMs: the schedule takes no snapshots.</source>
            <translation>VM がありません。このスケジュールではスナップショットは作成されません。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/dialog.py" line="540"></location>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="371"></location>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="485"></location>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="1033"></location>
            <source>and %n more</source>
            <translation>
                <numerusform>ほか %n 台</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="367"></location>
            <source>%n selected VM(s) will move here from another schedule:</source>
            <translation>
                <numerusform>選択した %n 台の VM が別のスケジュールからここに移動します:</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="385"></location>
            <source>Snapshot type</source>
            <translation>スナップショットの種類</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="386"></location>
            <source>What should the scheduled snapshots contain?</source>
            <translation>スケジュールされたスナップショットに何を含めますか？</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="387"></location>
            <source>&amp;Disks only</source>
            <translation>ディスクのみ(&amp;D)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="389"></location>
            <source>Disks and &amp;memory</source>
            <translation>ディスクとメモリ(&amp;M)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="395"></location>
            <source>A crash-consistent copy of the VM's disks, as if the power was cut. Quick, and works whatever state the VM is in.</source>
            <translation>VM のディスクの、クラッシュ整合性のあるコピーです (電源を切断した場合と同じ状態)。短時間で作成でき、VM がどの状態でも使用できます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="403"></location>
            <source>The disks and the contents of memory, so a revert resumes the VM where it was. This only works for VMs that are running or suspended when the schedule runs; for the others the run fails. It pauses the VM briefly and takes more space.</source>
            <translation>ディスクとメモリの内容を保存するため、復元すると VM は元の状態から再開します。スケジュールの実行時に実行中または一時停止の VM でのみ使用でき、それ以外の VM では実行に失敗します。VM が短時間一時中断され、より多くの容量を使用します。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="437"></location>
            <source>The pool's licence does not allow snapshots with memory.</source>
            <translation>プールのライセンスでは、メモリを含んだスナップショットを使用できません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="448"></location>
            <source>This schedule takes quiesced snapshots, which the pool no longer supports, so its runs fail. Choose one of the types above.</source>
            <translation>このスケジュールは静止スナップショットを作成しますが、プールでサポートされなくなったため、実行に失敗します。上記のいずれかの種類を選択してください。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="487"></location>
            <source>Not running or suspended now, so a snapshot with memory would fail (%n VM(s)):</source>
            <translation>
                <numerusform>現在、実行中でも一時停止でもないため、メモリを含んだスナップショットが失敗する VM (%n 台):</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="552"></location>
            <source>Schedule</source>
            <translation>スケジュール</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="553"></location>
            <source>When should snapshots be taken, and how many should be kept?</source>
            <translation>スナップショットをいつ作成し、いくつ保持しますか？</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="561"></location>
            <source>&amp;Hourly</source>
            <translation>毎時(&amp;H)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="563"></location>
            <source>Dai&amp;ly</source>
            <translation>毎日(&amp;L)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="565"></location>
            <source>&amp;Weekly</source>
            <translation>毎週(&amp;W)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="579"></location>
            <source> min</source>
            <translation> 分</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="580"></location>
            <source>minutes past every hour</source>
            <translation>(毎時、この分に実行)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="598"></location>
            <source>in 15-minute steps</source>
            <translation>(15 分単位)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="624"></location>
            <source>scheduled snapshots of each VM (1 to 10)</source>
            <translation>個 (VM ごとのスケジュールされたスナップショット、1～10)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="628"></location>
            <source>When a run takes one more, the oldest scheduled snapshot is deleted. Snapshots taken by hand are never deleted.</source>
            <translation>実行時に上限を超えると、最も古いスケジュールされたスナップショットが削除されます。手動で作成したスナップショットが削除されることはありません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="640"></location>
            <source>&amp;Keep:</source>
            <translation>保持(&amp;K):</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="656"></location>
            <source>Frequency:</source>
            <translation>頻度:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="657"></location>
            <source>At:</source>
            <translation>時刻:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="664"></location>
            <source>On:</source>
            <translation>曜日:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="671"></location>
            <source>&lt;b&gt;Next runs&lt;/b&gt;</source>
            <translation>&lt;b&gt;今後の実行&lt;/b&gt;</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="695"></location>
            <source>local time (%1)</source>
            <translation>ローカル時刻 (%1)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="697"></location>
            <source>pool time (%1)</source>
            <translation>プールの時刻 (%1)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="834"></location>
            <source>%1 refused: the pool keeps from 1 to 10 scheduled snapshots per VM.</source>
            <translation>%1 は指定できません: プールで保持できるスケジュールされたスナップショットは VM あたり 1～10 個です。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="842"></location>
            <source>%1 refused: choose 0, 15, 30 or 45 minutes past the hour.</source>
            <translation>%1 は指定できません: 毎時 0、15、30、45 分のいずれかを選択してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="848"></location>
            <source>“%1” refused: enter a time of day from 00:00 to 23:45, on the quarter hour.</source>
            <translation>「%1」は指定できません: 00:00～23:45 の時刻を 15 分単位で入力してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="872"></location>
            <source>Local time (%1)</source>
            <translation>ローカル時刻 (%1)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="873"></location>
            <source>Pool time (%1)</source>
            <translation>プールの時刻 (%1)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="874"></location>
            <source>UTC</source>
            <translation>UTC</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="891"></location>
            <source>%1 (does not exist)</source>
            <translation>%1 (存在しない時刻)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="904"></location>
            <source>The pool's time zone is known only by its current offset (%1), so changes to daylight saving time cannot be foreseen.</source>
            <translation>プールのタイムゾーンは現在のオフセット (%1) しかわからないため、夏時間の切り替えを予測できません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="910"></location>
            <source>Your clock and the pool's change for daylight saving time on different dates: the local time of a run moves by an hour for part of the year. The schedule itself is kept in pool time.</source>
            <translation>お使いのコンピューターとプールでは夏時間の切り替え日が異なるため、1 年のうち一部の期間は実行のローカル時刻が 1 時間ずれます。スケジュール自体はプールの時刻で保存されます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="923"></location>
            <source>skipped: the clocks go forward</source>
            <translation>スキップ: 時計が進むため</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="925"></location>
            <source>runs twice: the clocks go back</source>
            <translation>2 回実行: 時計が戻るため</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="927"></location>
            <source>late: the clocks go forward</source>
            <translation>遅延: 時計が進むため</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="929"></location>
            <source>once only: the clocks go back</source>
            <translation>1 回のみ: 時計が戻るため</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="946"></location>
            <source>On %1 the pool's clocks go forward past %2: there is no %2 that day, so that day's run does not happen.</source>
            <translation>%1 にプールの時計が %2 をまたいで進むため、その日には %2 が存在せず、その日の実行は行われません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="956"></location>
            <source>On %1 the pool's clocks go back past %2: %2 happens twice that day, so the schedule runs twice, an hour apart.</source>
            <translation>%1 にプールの時計が %2 をまたいで戻るため、その日は %2 が 2 回あり、スケジュールは 1 時間の間隔を空けて 2 回実行されます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="981"></location>
            <source>Finish</source>
            <translation>完了</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="982"></location>
            <source>Check the schedule, then click Finish to create it.</source>
            <translation>スケジュールを確認し、[完了] をクリックして作成してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="990"></location>
            <source>Name:</source>
            <translation>名前:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="991"></location>
            <source>VMs:</source>
            <translation>VM:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="992"></location>
            <source>Snapshot type:</source>
            <translation>スナップショットの種類:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="993"></location>
            <source>Schedule:</source>
            <translation>スケジュール:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="994"></location>
            <source>Keep:</source>
            <translation>保持:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="995"></location>
            <source>State:</source>
            <translation>状態:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="996"></location>
            <source>Note:</source>
            <translation>注意:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="1009"></location>
            <source>&amp;Run the schedule now when I click Finish</source>
            <translation>[完了] をクリックしたらスケジュールを今すぐ実行する(&amp;R)</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="1035"></location>
            <source>%n VM(s):</source>
            <translation>
                <numerusform>%n 台の VM:</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="1037"></location>
            <source>None</source>
            <translation>なし</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="1040"></location>
            <source>%1, pool time (%2)</source>
            <translation>%1、プールの時刻 (%2)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="1050"></location>
            <source>First run: %1 your time</source>
            <translation>初回の実行: %1 (ローカル時刻)</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="1054"></location>
            <source>the last %n scheduled snapshot(s) of each VM</source>
            <translation>
                <numerusform>VM ごとに直近 %n 個のスケジュールされたスナップショット</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/pages.py" line="1059"></location>
            <source>Disabled, as it has no VMs</source>
            <translation>無効 (VM がないため)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/properties.py" line="47"></location>
            <source>Properties of “%1”</source>
            <translation>「%1」のプロパティ</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/properties.py" line="54"></location>
            <source>General</source>
            <translation>全般</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/properties.py" line="126"></location>
            <location filename="../../xsnap_gui/ui/schedules/wizard.py" line="54"></location>
            <source>Move VMs to this schedule?</source>
            <translation>VM をこのスケジュールに移動しますか？</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/properties.py" line="131"></location>
            <source>%n VM(s) will move here from other snapshot schedules.</source>
            <translation>
                <numerusform>%n 台の VM が他のスナップショットスケジュールからここに移動します。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/wizard.py" line="61"></location>
            <source>The VM “%1” is already in the snapshot schedule “%2”. Move it to the new schedule?</source>
            <translation>VM「%1」はすでにスナップショットスケジュール「%2」に含まれています。新しいスケジュールに移動しますか？</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/wizard.py" line="66"></location>
            <source>%n of the selected VMs are already in other snapshot schedules. Move them to the new schedule?</source>
            <translation>
                <numerusform>選択した VM のうち %n 台は、すでに他のスナップショットスケジュールに含まれています。新しいスケジュールに移動しますか？</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/wizard.py" line="72"></location>
            <source>&amp;Move</source>
            <translation>移動(&amp;M)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/wizard.py" line="73"></location>
            <source>&amp;Go back</source>
            <translation>戻る(&amp;G)</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/wizard.py" line="99"></location>
            <source>%n VM(s) will move here from other schedules.</source>
            <translation>
                <numerusform>%n 台の VM が他のスケジュールからここに移動します。</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/schedules/wizard.py" line="105"></location>
            <source>A snapshot with memory would fail now for %n VM(s) that are not running or suspended.</source>
            <translation>
                <numerusform>実行中でも一時停止でもない %n 台の VM では、現時点ではメモリを含んだスナップショットが失敗します。</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/wizard.py" line="121"></location>
            <source>New Snapshot Schedule — %1</source>
            <translation>新規スナップショットスケジュール — %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/schedules/wizard.py" line="149"></location>
            <source>The pool's licence does not include snapshot schedules, so none can be created.</source>
            <translation>プールのライセンスにスナップショットスケジュールが含まれていないため、スケジュールを作成できません。</translation>
        </message>
    </context>
    <context>
        <name>SnapshotDetails</name>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="187"></location>
            <source>No snapshots of this VM yet. Take one with Take Snapshot.</source>
            <translation>この VM にはまだスナップショットがありません。「スナップショットの作成」で作成してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="192"></location>
            <source>Select a snapshot to see its details. Ctrl+click or Shift+click selects several.</source>
            <translation>スナップショットを選択すると詳細が表示されます。Ctrl+クリックまたは Shift+クリックで複数選択できます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="227"></location>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="228"></location>
            <source>Snapshot name</source>
            <translation>スナップショット名</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="241"></location>
            <source>Description</source>
            <translation>説明</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="242"></location>
            <source>Add a description</source>
            <translation>説明を追加</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="272"></location>
            <source>Created:</source>
            <translation>作成日時:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="273"></location>
            <source>Pool time:</source>
            <translation>プールの時刻:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="274"></location>
            <source>Type:</source>
            <translation>種類:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="275"></location>
            <source>Size:</source>
            <translation>サイズ:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="276"></location>
            <source>VM was:</source>
            <translation>VM の状態:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="277"></location>
            <source>Schedule:</source>
            <translation>スケジュール:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="278"></location>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="320"></location>
            <source>Tags:</source>
            <translation>タグ:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="282"></location>
            <source>Console at the time of the snapshot:</source>
            <translation>スナップショット作成時のコンソール:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="316"></location>
            <source>Total size:</source>
            <translation>合計サイズ:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="317"></location>
            <source>Oldest:</source>
            <translation>最古:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="318"></location>
            <source>Newest:</source>
            <translation>最新:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="319"></location>
            <source>Types:</source>
            <translation>種類:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="389"></location>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="392"></location>
            <source>Unknown</source>
            <translation>不明</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="395"></location>
            <source>%1 bytes on storage</source>
            <translation>ストレージ使用量: %1 バイト</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="400"></location>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="564"></location>
            <source>None</source>
            <translation>なし</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="466"></location>
            <source>Not connected to the pool</source>
            <translation>プールに接続されていません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="470"></location>
            <source>Your role (%1) does not allow changing snapshot names</source>
            <translation>お使いのロール (%1) ではスナップショット名を変更できません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="473"></location>
            <source>Your role (%1) does not allow changing snapshot descriptions</source>
            <translation>お使いのロール (%1) ではスナップショットの説明を変更できません</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="478"></location>
            <source>Click to rename; Enter saves, Escape undoes</source>
            <translation>クリックして名前を変更します。Enter で保存、Esc で元に戻します</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="480"></location>
            <source>Saved when you leave the field; Escape undoes</source>
            <translation>フィールドから移動すると保存されます。Esc で元に戻します</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="496"></location>
            <source>A snapshot needs a name.</source>
            <translation>スナップショットには名前が必要です。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="501"></location>
            <source>Not connected to the pool: the change was not saved.</source>
            <translation>プールに接続されていないため、変更は保存されませんでした。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="530"></location>
            <source>The name was not saved: %1</source>
            <translation>名前は保存されませんでした: %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="531"></location>
            <source>The description was not saved: %1</source>
            <translation>説明は保存されませんでした: %1</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/snapshot_details.py" line="551"></location>
            <source>%n snapshots selected</source>
            <translation>
                <numerusform>%n 個のスナップショットを選択中</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>SnapshotFormat</name>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_format.py" line="101"></location>
            <source>Scheduled, disks and memory</source>
            <translation>スケジュール、ディスクとメモリ</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_format.py" line="102"></location>
            <source>Scheduled, disks only</source>
            <translation>スケジュール、ディスクのみ</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_format.py" line="104"></location>
            <source>Disks and memory</source>
            <translation>ディスクとメモリ</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_format.py" line="106"></location>
            <source>Disks only</source>
            <translation>ディスクのみ</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_format.py" line="112"></location>
            <source>Running</source>
            <translation>実行中</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_format.py" line="113"></location>
            <source>Halted</source>
            <translation>停止</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_format.py" line="114"></location>
            <source>Suspended</source>
            <translation>一時停止</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_format.py" line="115"></location>
            <source>Paused</source>
            <translation>一時中断</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_format.py" line="117"></location>
            <source>Unknown</source>
            <translation>不明</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_format.py" line="129"></location>
            <source>a schedule the VM no longer belongs to</source>
            <translation>この VM が現在は属していないスケジュール</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_format.py" line="208"></location>
            <source>pool time unknown</source>
            <translation>プールの時刻は不明</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_format.py" line="213"></location>
            <source>the same (%1)</source>
            <translation>ローカル時刻と同じ (%1)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_format.py" line="215"></location>
            <location filename="../../xsnap_gui/ui/snapshot_format.py" line="218"></location>
            <source>%1 (%2)</source>
            <translation>%1 (%2)</translation>
        </message>
    </context>
    <context>
        <name>SnapshotGraphView</name>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_graph/items.py" line="169"></location>
            <source>Now</source>
            <translation>現在</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_graph/view.py" line="227"></location>
            <source>Working…</source>
            <translation>処理中…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_graph/view.py" line="321"></location>
            <source>Base</source>
            <translation>ベース</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_graph/view.py" line="368"></location>
            <source>The VM as it is now.</source>
            <translation>現在の状態の VM です。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_graph/view.py" line="369"></location>
            <source>Drag onto a snapshot to revert to it.</source>
            <translation>スナップショットにドラッグすると、そのスナップショットに復元します。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_graph/view.py" line="372"></location>
            <source>The VM's disks before its oldest snapshot.</source>
            <translation>最も古いスナップショットより前の VM のディスクです。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_graph/view.py" line="376"></location>
            <source>Disks only</source>
            <translation>ディスクのみ</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_graph/view.py" line="377"></location>
            <source>Disks and memory</source>
            <translation>ディスクとメモリ</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_graph/view.py" line="378"></location>
            <source>Scheduled snapshot</source>
            <translation>スケジュールされたスナップショット</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_graph/view.py" line="379"></location>
            <source>Snapshot</source>
            <translation>スナップショット</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_graph/view.py" line="382"></location>
            <source>Taken %1</source>
            <translation>作成日時: %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_graph/view.py" line="852"></location>
            <source>Snapshots without a known parent</source>
            <translation>親が不明なスナップショット</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_graph/view.py" line="863"></location>
            <source>No snapshots yet. Take a snapshot to start the tree.</source>
            <translation>スナップショットはまだありません。スナップショットを作成するとツリーが表示されます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_graph/view.py" line="915"></location>
            <source>ddd d MMM yyyy</source>
            <translation>yyyy年M月d日(ddd)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_graph/view.py" line="918"></location>
            <source>d MMM yyyy</source>
            <translation>yyyy年M月d日</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_graph/view.py" line="921"></location>
            <source>d MMM</source>
            <translation>M月d日</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_graph/view.py" line="924"></location>
            <source>ddd d</source>
            <translation>d日(ddd)</translation>
        </message>
    </context>
    <context>
        <name>SnapshotList</name>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_list.py" line="66"></location>
            <source>Type</source>
            <translation>種類</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_list.py" line="67"></location>
            <source>Name</source>
            <translation>名前</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_list.py" line="68"></location>
            <source>Created</source>
            <translation>作成日時</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_list.py" line="69"></location>
            <source>Size</source>
            <translation>サイズ</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_list.py" line="70"></location>
            <source>Tags</source>
            <translation>タグ</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_list.py" line="71"></location>
            <source>Description</source>
            <translation>説明</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_list.py" line="72"></location>
            <source>Schedule</source>
            <translation>スケジュール</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_list.py" line="281"></location>
            <source>Your time: %1
Pool time: %2</source>
            <translation>ローカル時刻: %1
プールの時刻: %2</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_list.py" line="285"></location>
            <source>%1 bytes on storage</source>
            <translation>ストレージ使用量: %1 バイト</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_list.py" line="292"></location>
            <source>The VM was %1 when this snapshot was taken</source>
            <translation>スナップショット作成時の VM の状態: %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshot_list.py" line="411"></location>
            <source>Scheduled, disks only</source>
            <translation>スケジュール、ディスクのみ</translation>
        </message>
    </context>
    <context>
        <name>SnapshotsTab</name>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="143"></location>
            <source>Taking snapshot…</source>
            <translation>スナップショットを作成中…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="145"></location>
            <source>Reverting…</source>
            <translation>復元中…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="152"></location>
            <source>%1 %2%</source>
            <translation>%1 %2%</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="225"></location>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="565"></location>
            <source>Select a VM to see its snapshots.</source>
            <translation>VM を選択すると、そのスナップショットが表示されます。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="339"></location>
            <source>Tree</source>
            <translation>ツリー</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="341"></location>
            <source>Show snapshots as a tree over time</source>
            <translation>スナップショットを時系列のツリーで表示します</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="344"></location>
            <source>List</source>
            <translation>一覧</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="346"></location>
            <source>Show snapshots as a sortable list</source>
            <translation>スナップショットを並べ替え可能な一覧で表示します</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="374"></location>
            <source>Show scheduled snapshots</source>
            <translation>スケジュールされたスナップショットを表示</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="383"></location>
            <source>Filter snapshots</source>
            <translation>スナップショットを検索</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="384"></location>
            <source>Show only snapshots whose name, description or tags contain every word typed here</source>
            <translation>名前、説明、タグに、ここに入力したすべての語句を含むスナップショットのみを表示します</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="567"></location>
            <source>Loading snapshots…</source>
            <translation>スナップショットを読み込み中…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="569"></location>
            <source>This VM is no longer in the pool.</source>
            <translation>この VM はプールに存在しなくなりました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="688"></location>
            <source>Now</source>
            <translation>現在</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="708"></location>
            <source>Pool time: %1</source>
            <translation>プールの時刻: %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="711"></location>
            <source>Type: %1</source>
            <translation>種類: %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="712"></location>
            <source>Size: %1</source>
            <translation>サイズ: %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="714"></location>
            <source>VM was: %1</source>
            <translation>VM の状態: %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="717"></location>
            <source>Schedule: %1</source>
            <translation>スケジュール: %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="720"></location>
            <source>Tags: %1</source>
            <translation>タグ: %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="733"></location>
            <source>Snapshot schedules are not available with this pool's licence.</source>
            <translation>このプールのライセンスではスナップショットスケジュールを利用できません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="738"></location>
            <source> (disabled)</source>
            <translation> (無効)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="739"></location>
            <source>Snapshot schedule:</source>
            <translation>スナップショットスケジュール:</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="741"></location>
            <source>Open this schedule in VM Snapshot Schedules</source>
            <translation>このスケジュールを「VM スナップショットスケジュール」で開きます</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="743"></location>
            <source>Not part of a snapshot schedule.</source>
            <translation>スナップショットスケジュールに含まれていません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="745"></location>
            <source>View snapshot schedules…</source>
            <translation>スナップショットスケジュールを表示…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="746"></location>
            <source>Open VM Snapshot Schedules</source>
            <translation>「VM スナップショットスケジュール」を開きます</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="749"></location>
            <source>This VM's longest snapshot chain is %1 deep; XenServer refuses new snapshots beyond %2. Delete snapshots you no longer need to make room.</source>
            <translation>この VM の最長のスナップショットチェーンの深さは %1 です。XenServer では深さが %2 を超えるとスナップショットを作成できません。不要になったスナップショットを削除して余裕を確保してください。</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="773"></location>
            <source>%n snapshot(s)</source>
            <translation>
                <numerusform>%n 個のスナップショット</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="775"></location>
            <source>No snapshots</source>
            <translation>スナップショットなし</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="778"></location>
            <source>%1 on storage</source>
            <translation>ストレージ使用量: %1</translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="782"></location>
            <source>%n scheduled hidden</source>
            <translation>
                <numerusform>スケジュール分 %n 個は非表示</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="785"></location>
            <source>%n shown</source>
            <translation>
                <numerusform>%n 個を表示中</numerusform>
            </translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="788"></location>
            <source>No snapshots of this VM yet. Take one with Take Snapshot.</source>
            <translation>この VM にはまだスナップショットがありません。「スナップショットの作成」で作成してください。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="791"></location>
            <source>No snapshots match the filter.</source>
            <translation>フィルターに一致するスナップショットはありません。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/snapshots_tab.py" line="793"></location>
            <source>This VM has only scheduled snapshots. Tick “Show scheduled snapshots” to see them.</source>
            <translation>この VM にはスケジュールされたスナップショットしかありません。表示するには「スケジュールされたスナップショットを表示」をオンにしてください。</translation>
        </message>
    </context>
    <context>
        <name>TasksModel</name>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="474"></location>
            <source>Could not cancel “%1”: %2</source>
            <translation>「%1」をキャンセルできませんでした: %2</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="496"></location>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="576"></location>
            <source>Task</source>
            <translation>タスク</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="497"></location>
            <source>Target</source>
            <translation>対象</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="498"></location>
            <source>Server</source>
            <translation>サーバー</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="499"></location>
            <source>Progress</source>
            <translation>進行状況</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="500"></location>
            <source>Elapsed</source>
            <translation>経過時間</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="501"></location>
            <source>Remaining</source>
            <translation>残り時間</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="502"></location>
            <source>Status</source>
            <translation>状態</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="552"></location>
            <source>%1%</source>
            <translation>%1%</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="573"></location>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="601"></location>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="602"></location>
            <source>Export</source>
            <translation>エクスポート</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="575"></location>
            <source>Import</source>
            <translation>インポート</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="580"></location>
            <source>Snapshot</source>
            <translation>スナップショット</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="581"></location>
            <source>Snapshot with memory</source>
            <translation>メモリを含んだスナップショット</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="582"></location>
            <source>Quiesced snapshot</source>
            <translation>静止スナップショット</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="583"></location>
            <source>Revert to snapshot</source>
            <translation>スナップショットに復元</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="584"></location>
            <source>Delete</source>
            <translation>削除</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="585"></location>
            <source>Clone</source>
            <translation>クローン</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="586"></location>
            <source>Copy</source>
            <translation>コピー</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="587"></location>
            <source>Provision</source>
            <translation>プロビジョニング</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="588"></location>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="589"></location>
            <source>Start</source>
            <translation>起動</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="590"></location>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="591"></location>
            <source>Shut down</source>
            <translation>シャットダウン</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="592"></location>
            <source>Force shutdown</source>
            <translation>強制シャットダウン</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="593"></location>
            <source>Reboot</source>
            <translation>再起動</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="594"></location>
            <source>Force reboot</source>
            <translation>強制再起動</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="595"></location>
            <source>Suspend</source>
            <translation>一時停止</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="596"></location>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="597"></location>
            <source>Resume</source>
            <translation>再開</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="598"></location>
            <source>Pause</source>
            <translation>一時中断</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="599"></location>
            <source>Unpause</source>
            <translation>一時中断の解除</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="600"></location>
            <source>Migrate</source>
            <translation>移行</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="603"></location>
            <source>Create snapshot schedule</source>
            <translation>スナップショットスケジュールの作成</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="604"></location>
            <source>Delete snapshot schedule</source>
            <translation>スナップショットスケジュールの削除</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="605"></location>
            <source>Run snapshot schedule</source>
            <translation>スナップショットスケジュールの実行</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="606"></location>
            <source>Delete disk</source>
            <translation>ディスクの削除</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="607"></location>
            <source>Disk snapshot</source>
            <translation>ディスクのスナップショット</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="608"></location>
            <source>Clone disk</source>
            <translation>ディスクのクローン</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="609"></location>
            <source>Copy disk</source>
            <translation>ディスクのコピー</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="610"></location>
            <source>Rescan storage</source>
            <translation>ストレージの再スキャン</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="616"></location>
            <source>In progress</source>
            <translation>処理中</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="618"></location>
            <source>Cancelling…</source>
            <translation>キャンセル中…</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="620"></location>
            <source>Done</source>
            <translation>完了</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="622"></location>
            <source>Cancelled</source>
            <translation>キャンセル済み</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="624"></location>
            <source>Ended</source>
            <translation>終了</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="627"></location>
            <source>Failed: %1</source>
            <translation>失敗: %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="628"></location>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="759"></location>
            <source>Failed</source>
            <translation>失敗</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="641"></location>
            <source>Started by this application</source>
            <translation>このアプリケーションにより開始</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="645"></location>
            <source>Started by snapshot schedule “%1”</source>
            <translation>スナップショットスケジュール「%1」により開始</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="647"></location>
            <source>Started by a snapshot schedule</source>
            <translation>スナップショットスケジュールにより開始</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="649"></location>
            <source>Started by another copy of this application</source>
            <translation>このアプリケーションの別のインスタンスにより開始</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="650"></location>
            <source>Started by another client</source>
            <translation>別のクライアントにより開始</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="679"></location>
            <source>Snapshot “%1” of %2</source>
            <translation>%2 のスナップショット「%1」</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="740"></location>
            <source>Started %1</source>
            <translation>開始日時: %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="743"></location>
            <source>Finished %1</source>
            <translation>終了日時: %1</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="765"></location>
            <source>The server removed this task before its outcome was seen.</source>
            <translation>結果を確認する前に、サーバーがこのタスクを削除しました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="767"></location>
            <source>No longer on the server.</source>
            <translation>サーバー上に存在しなくなりました。</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="769"></location>
            <source>Cancel failed: %1</source>
            <translation>キャンセルに失敗しました: %1</translation>
        </message>
    </context>
    <context>
        <name>TasksPanel</name>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="822"></location>
            <source>Tasks</source>
            <translation>タスク</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="850"></location>
            <source>&amp;Cancel Task</source>
            <translation>タスクのキャンセル(&amp;C)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="852"></location>
            <source>Ask the server to cancel the selected tasks</source>
            <translation>選択したタスクのキャンセルをサーバーに要求します</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="854"></location>
            <source>Clear &amp;Finished</source>
            <translation>完了したタスクをクリア(&amp;F)</translation>
        </message>
        <message>
            <location filename="../../xsnap_gui/ui/tasks_panel.py" line="856"></location>
            <source>Remove finished tasks from the list</source>
            <translation>完了したタスクを一覧から削除します</translation>
        </message>
    </context>
</TS>
