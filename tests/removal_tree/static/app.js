// The JS client of django-waffle
if (waffle.flag_is_active('js.flag')) {
  show();
}
const name = "plain.literal";
