/** The Heroku-style header shown to customers who came from `heroku addons:open`. */
export function HerokuHeader({ appName }: { appName: string }) {
  return (
    <div
      id="heroku-header"
      className="flex items-center justify-between bg-[#79589f] px-6 py-2 text-sm text-white"
    >
      <span>
        <span className="font-semibold">Heroku</span> · {appName}
      </span>
      <a
        href={`https://dashboard.heroku.com/apps/${encodeURIComponent(appName)}/resources`}
        className="underline decoration-white/60 underline-offset-2 hover:decoration-white"
      >
        Back to {appName} on Heroku
      </a>
    </div>
  );
}
