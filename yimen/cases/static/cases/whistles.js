// 报到: send the phone's position with the arrival when the browser gives it within a few
// seconds; without it (refused, no fix, desktop) the arrival goes without a location.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form[data-gps]") || form.dataset.located || !navigator.geolocation) return;
  event.preventDefault();
  const send = () => {
    form.dataset.located = "1";
    form.requestSubmit();
  };
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      form.querySelector("[name=lat]").value = pos.coords.latitude.toFixed(6);
      form.querySelector("[name=lng]").value = pos.coords.longitude.toFixed(6);
      send();
    },
    send,
    { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 },
  );
});
